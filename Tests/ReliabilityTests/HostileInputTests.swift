import Contract
import EcoTestKit
import Foundation
import Testing

/// DESIGN.md section 3, step 5, against the four real executables: more than 10,000 hostile
/// records on every topic a service reads, interleaved with a day of good traffic. No service
/// dies or stops being ready, every bad record is answered (dead letter with a code and a
/// reason, or a refusal event with a reason, exactly once, or dropped as a duplicate), and the
/// good traffic ends exactly where it ends alone.
@Suite("Hostile input", .serialized)
struct HostileInputTests {
    @Test func everyHostileRecordIsAnsweredAndGoodTrafficEndsAsWithoutIt() async throws {
        let fixture = try await ReliabilityFixture()
        defer { fixture.stop() }
        let now = Timestamp.now()
        let bulk = HostileCorpus(seed: 0x5EED_2026, context: .init(now: now)).records(count: 10_000)
        let chunks = stride(from: 0, to: bulk.count, by: bulk.count / 7 + 1).map { Array(bulk[$0..<min($0 + bulk.count / 7 + 1, bulk.count)]) }
        var sent: [HostileRecord] = []
        var nextChunk = 0
        func blast() async throws {
            guard nextChunk < chunks.count else { return }
            try await fixture.writer.send(chunks[nextChunk])
            sent += chunks[nextChunk]
            nextChunk += 1
        }

        try await blast()
        let good = try await GoodTraffic.register(fixture)
        try await blast()
        let allocated = try await GoodTraffic.allocate(fixture)
        try await blast()
        try await GoodTraffic.fund(fixture)
        try await blast()
        try await GoodTraffic.openSession(fixture)
        try await blast()
        try await GoodTraffic.trade(fixture, interleaving: blast)
        try await GoodTraffic.observe(fixture, at: now)
        try await blast()
        // The account-specific nonsense needs M-co registered, allocated and funded, and a book
        // where nobody else rests (its self-crossing pairs).
        let misuse = HostileCorpus(seed: 0xBAD_ACC7, context: .init(account: GoodTraffic.mallory, usedDepositReference: "bank-m",
                                                                     selfCross: true, now: now, ghostPrefix: "hy"),
                                   categories: [.businessNonsense, .replay],
                                   topics: [.registryCommands, .marketOrders, .settlementCommands]).records(count: 400)
        try await fixture.writer.send(misuse)
        sent += misuse
        while nextChunk < chunks.count { try await blast() }

        #expect(sent.count >= 10_000)
        #expect(Set(sent.map(\.topic)) == Set(HostileConsumer.inputTopics), "every input topic got hostile records")
        #expect(Set(sent.map(\.category)) == Set(HostileCategory.standard), "every standard category was sent")

        // Every bad record is accounted for.
        let accounting = HostileAccounting(sent)
        var problems: [HostileAccounting.Problem] = []
        let deadline = ContinuousClock.now + .seconds(120)
        repeat {
            try await Task.sleep(for: .seconds(2))
            problems = accounting.problems(readers: fixture.readers)
        } while !problems.isEmpty && ContinuousClock.now < deadline
        #expect(problems.isEmpty, "\(problems.count) problem(s) among \(accounting.expectationCount) expectations:\n\(HostileAccounting.report(problems))")
        // Only now close the day: orders wait for their holds, which the services answer in turn
        // after the hostile records queued before them.
        try await GoodTraffic.closeSession(fixture)
        for service in fixture.services {
            let status = try await fixture.status(service)
            let replays = accounting.duplicates[service.name, default: 0] + (service.name == "settlement" ? 1 : 0)
            #expect(status.duplicates >= Int64(replays), "\(service.name) dropped \(status.duplicates) duplicates, \(replays) sent")
        }

        // No service died, and all are ready again.
        for service in fixture.services {
            #expect(service.isRunning, "\(service.name) died: \(service.logTail())")
            try await service.waitUntilReady(timeout: .seconds(30))
            // The ids held to recognise copies: every applied record, never a copy.
            let status = try await fixture.status(service)
            let held = try #require(status.inboxIds, "\(service.name) reports no inboxIds")
            #expect(held > 0 && held <= status.recordsIn - status.duplicates,
                    "\(service.name) holds \(held) ids for \(status.recordsIn) records, \(status.duplicates) of them copies")
        }

        // The good traffic's effects, exactly as computed from the good traffic alone.
        try await GoodTraffic.checkEffects(fixture, entities: good, allocated: allocated)
    }
}
