import Contract
import EcoTestKit
import Foundation
import Testing

/// DESIGN.md section 3 under a storage fault: a service whose SQLite file cannot be written
/// stops consuming and says so (`/readyz` 503, `storageFault` in `/status`) instead of moving
/// its offsets past state it could not store; once the fault clears it resumes, and every
/// command sent during the fault has its effect exactly once.
@Suite("Storage faults", .serialized)
struct StorageFaultTests {
    static let during = 2_000

    @Test(.enabled(if: FullDiskFault.canMount, "mounting a tmpfs needs root with CAP_SYS_ADMIN"))
    func aFullDiskStopsTheLoopUntilSpaceReturnsAndLosesNothing() async throws {
        let fault = try FullDiskFault.make(sizeMB: 24)
        defer { fault.cleanup() }
        try await faultStopsTheLoopUntilClearedAndLosesNothing(fault)
        #expect(fault.freeBytes > 0)
    }

    /// The same promise under a file-size limit, which needs no privilege: this one runs everywhere.
    @Test func aFileSizeLimitStopsTheLoopUntilLiftedAndLosesNothing() async throws {
        let fault = try FileSizeLimitFault()
        defer { fault.cleanup() }
        try await faultStopsTheLoopUntilClearedAndLosesNothing(fault)
    }

    private func faultStopsTheLoopUntilClearedAndLosesNothing(_ fault: some InjectedStorageFault) async throws {
        let broker = try BrokerFixture()
        defer { broker.stop() }
        // The SQLite file on the small file system; the log stays outside it (`--db` given twice:
        // the last one counts).
        let settlement = try ServiceProcess("settlement", brokers: broker.brokers,
                                            extraArguments: ["--db", fault.directory.appendingPathComponent("settlement.sqlite").path])
        defer { settlement.stop() }
        try settlement.start()
        try await settlement.waitUntilReady()
        let writer = try TopicWriter(brokers: broker.brokers)
        defer { writer.close() }
        let events = try TopicReader(brokers: broker.brokers, topic: .settlementEvents, catalogue: .settlementEvents)
        defer { events.close() }
        let deadLetters = try TopicReader(brokers: broker.brokers, topic: Topic.settlementCommands.deadLetter, catalogue: PayloadCatalogue([]))
        defer { deadLetters.close() }

        try await writer.send(DepositFunds(accountId: "A", amount: 1, reference: "before"), to: .settlementCommands, source: "bank")
        try await events.await(FundsDeposited.self, timeout: .seconds(30)) { $0.reference == "before" }

        try fault.inject(into: settlement)
        if let fullDisk = fault as? FullDiskFault { #expect(fullDisk.freeBytes == 0, "the file system is full") }
        let deposits = (0..<Self.during).map {
            Envelope(command: DepositFunds(accountId: "A", amount: 1, reference: "during-\($0)"), source: "bank")
        }
        try await writer.sendAll(deposits, to: .settlementCommands)

        // The loop notices and says so.
        try await eventually("settlement reports the storage fault", timeout: .seconds(60)) {
            let status = try await Self.status(settlement)
            let ready = try await settlement.admin("/readyz").status
            return status.storageFault != nil && ready == 503
        }
        let faulted = try await Self.status(settlement)
        #expect(faulted.storageFault?.isEmpty == false)
        // While the disk is full nothing moves: the balance stays where it was across retries.
        let stuck = try await Self.available(settlement)
        try await Task.sleep(for: .seconds(3))
        #expect(try await Self.available(settlement) == stuck, "nothing is applied while the file cannot be written")
        #expect(try await Self.status(settlement).storageFault != nil, "still faulted")
        #expect(try await settlement.admin("/readyz").status == 503)
        #expect(settlement.isRunning, "a full disk must not kill the service: \(settlement.logTail())")

        try fault.clear(from: settlement)
        try await settlement.waitUntilReady(timeout: .seconds(60))
        try await eventually("every deposit sent during the fault is applied", timeout: .seconds(60)) {
            try await Self.available(settlement) == Int64(1 + Self.during)
        }
        try await events.awaitCount(1 + Self.during, timeout: .seconds(60)) { $0.type == "FundsDeposited" }
        let references = events.payloads(FundsDeposited.self).map(\.reference)
        #expect(references.count == 1 + Self.during && Set(references).count == references.count, "each deposit exactly once")
        #expect(try await Self.status(settlement).storageFault == nil)
        #expect(deadLetters.records.isEmpty, "a storage fault is not the record's fault: nothing is dead-lettered")
    }

    static func status(_ service: ServiceProcess) async throws -> ServiceStatus {
        let (code, body) = try await service.admin("/status")
        guard code == 200 else { throw TestKitError("/status answered \(code)") }
        return try JSONDecoder().decode(ServiceStatus.self, from: body)
    }

    static func available(_ service: ServiceProcess) async throws -> Int64 {
        let (code, body) = try await service.admin("/accounts/A")
        guard code == 200 else { throw TestKitError("/accounts/A answered \(code): \(String(decoding: body, as: UTF8.self))") }
        return try JSONDecoder().decode(AccountView.self, from: body).available
    }
}
