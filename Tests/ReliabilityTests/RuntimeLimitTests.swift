import Contract
import EcoTestKit
import Foundation
import Testing

/// Hostile records that reach past input validation into the runtime's own limits, one
/// service at a time (settlement, the only reader of `settlement.commands`).
@Suite("Runtime limits under hostile input", .serialized)
struct RuntimeLimitTests {
    /// A broker, settlement, a writer and readers of its events and dead letters.
    final class Single: @unchecked Sendable {
        let broker: BrokerFixture
        let settlement: ServiceProcess
        let writer: TopicWriter
        let events: TopicReader
        let deadLetters: TopicReader

        init(writerProperties: [String: String] = [:]) async throws {
            broker = try BrokerFixture()
            settlement = try ServiceProcess("settlement", brokers: broker.brokers)
            try settlement.start()
            try await settlement.waitUntilReady()
            writer = try TopicWriter(brokers: broker.brokers, properties: writerProperties)
            events = try TopicReader(brokers: broker.brokers, topic: .settlementEvents, catalogue: .settlementEvents)
            deadLetters = try TopicReader(brokers: broker.brokers, topic: Topic.settlementCommands.deadLetter, catalogue: PayloadCatalogue([]))
        }

        func stop() {
            events.close(); deadLetters.close(); writer.close(); settlement.stop(); broker.stop()
        }
    }

    /// RFC 8259 has no trailing commas; a record with one is not JSON and must be dead-lettered.
    @Test func aTrailingCommaIsNotJSON() async throws {
        let fixture = try await Single()
        defer { fixture.stop() }
        let envelope = Envelope(command: DepositFunds(accountId: "T-co", amount: 500, reference: "comma"), source: "bank")
        let text = String(decoding: EventCodec().encode(envelope).dropLast(), as: UTF8.self) + ",}"
        try await fixture.writer.sendRaw(Data(text.utf8), key: "T-co", to: .settlementCommands)
        // Either answer comes; wait for one of them.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, fixture.deadLetters.records.isEmpty, fixture.events.payloads(FundsDeposited.self).isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        let letter = fixture.deadLetters.records.first?.deadLetter
        #expect(letter?.code == "malformed-json")
        #expect(letter?.reason.contains("trailing comma") == true, "\(letter?.reason ?? "no dead letter")")
        #expect(fixture.events.payloads(FundsDeposited.self).isEmpty)
    }

    /// A record whose dead letter is larger than the producer accepts: control characters
    /// (six bytes each once escaped), or a record over the 1 MiB the codec reads at all. The
    /// record must still be dead-lettered (truncated if need be) and the service must go on
    /// publishing what comes after it.
    @Test(arguments: ["escaped control characters", "a record over 1 MiB"])
    func aDeadLetterTooLargeForTheBrokerDoesNotWedgeThePublisher(kind: String) async throws {
        let fixture = try await Single(writerProperties: ["message.max.bytes": "4000000"])
        defer { fixture.stop() }
        let value: Data
        if kind == "a record over 1 MiB" {
            value = Data(("{\"id\":\"" + String(repeating: "X", count: 1_200_000) + "\"}").utf8)
        } else {
            let corpus = HostileCorpus(seed: 7, categories: [.deadLetterOverflow], topics: [.settlementCommands])
            value = try #require(corpus.records(count: 1).first).value
        }
        try await fixture.writer.sendRaw(value, key: "L-co", to: .settlementCommands)
        try await fixture.writer.send(DepositFunds(accountId: "L-co", amount: 700, reference: "after"), to: .settlementCommands,
                                      source: "bank")
        // The deposit sent after it normally shows within a second; ten are plenty. The dead
        // letter is read from another topic, so it is waited for too, not assumed to be there.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline,
              fixture.events.payloads(FundsDeposited.self).isEmpty || fixture.deadLetters.records.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
        }
        let status = try JSONDecoder().decode(ServiceStatus.self, from: try await fixture.settlement.admin("/status").body)
        #expect(fixture.events.payloads(FundsDeposited.self).count == 1, "the deposit after it is published; publishFault: \(status.publishFault ?? "none")")
        #expect(fixture.deadLetters.records.count == 1, "the record is dead-lettered")
        #expect(status.publishFault == nil)
        let letter = try #require(fixture.deadLetters.records.first?.deadLetter)
        if value.count > DeadLetter.maxValueBytes {
            #expect(letter.truncated == true && letter.originalBytes == value.count && letter.originalSHA256?.count == 64)
        }
        #expect(fixture.settlement.isRunning)
    }
}
