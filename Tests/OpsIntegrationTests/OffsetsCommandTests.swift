import Contract
import EcoTestKit
import Foundation
import Testing

/// `ecoctl offsets`: the operator's way out of an offset fault. A broker came back without its
/// data (the local Tansu keeps its logs in memory) while the registry kept its SQLite file: the
/// registry must say it is not ready and why, not take every new record for one it already
/// applied; the command shows the fault and moves the lost partitions back to their log start,
/// and the registry then applies new commands again without applying old ones twice.
@Suite("ecoctl offsets", .serialized)
struct OffsetsCommandTests {
    struct Status: Decodable {
        var recordsIn: Int64
        var offsetFault: String?
    }

    @Test func aStoreWhoseBrokerLostItsLogsIsShownAndMovedBackToTheLogStart() async throws {
        var broker = try BrokerFixture()
        let port = broker.port
        let registry = try ServiceProcess("registry", brokers: broker.brokers)
        try registry.start()
        defer { registry.stop() }
        try await registry.waitUntilReady()
        let writer = try TopicWriter(brokers: broker.brokers)
        for index in 0..<12 {
            _ = try await writer.send(RegisterEntity(Self.profile("OFF-\(index)")), to: .registryCommands)
        }
        writer.close()
        try await eventually("the registry applied the 12 commands") { try await registry.status(Status.self).recordsIn >= 12 }
        #expect(try await registry.status(Status.self).offsetFault == nil)
        let healthy = try await ecoctl(["offsets", "show", "--db", registry.dbPath], brokers: broker.brokers)
        #expect(healthy.status == 0, "\(healthy.output)")
        let commandRows = healthy.stdout.split(separator: "\n").filter { $0.hasPrefix("registry.commands[") }
        #expect(!commandRows.isEmpty && commandRows.allSatisfy { $0.contains("caught up") }, "\(healthy.stdout)")
        let nothing = try await ecoctl(["offsets", "set", "--db", registry.dbPath, "--lost-logs"], brokers: broker.brokers)
        #expect(nothing.stdout.contains("nothing to move"), "\(nothing.output)")
        // Not while the service has its file open: it would write its own offsets over the change.
        let storedPartition = String(commandRows[0].prefix { $0 != "]" }.dropFirst("registry.commands[".count))
        let whileRunning = try await ecoctl(["offsets", "set", "--db", registry.dbPath, "--topic", "registry.commands",
                                             "--partition", storedPartition, "--log-start", "--yes"], brokers: broker.brokers)
        #expect(whileRunning.status != 0)
        #expect(whileRunning.stderr.contains("(registry) has") && whileRunning.stderr.contains("open"), "\(whileRunning.output)")

        broker.stop()
        broker = try BrokerFixture(port: port)
        defer { broker.stop() }
        try await eventually("the registry reported the lost log") { try await registry.status(Status.self).offsetFault != nil }
        let fault = try await registry.status(Status.self).offsetFault ?? ""
        #expect(fault.contains("registry.commands"), "\(fault)")
        #expect(fault.contains("below the stored offset"), "\(fault)")
        let (ready, body) = try await registry.admin("/readyz")
        #expect(ready == 503, "\(String(decoding: body, as: UTF8.self))")
        registry.stop()

        let lost = try await ecoctl(["offsets", "show", "--db", registry.dbPath], brokers: broker.brokers)
        #expect(lost.status == 1, "an offset fault is a failing exit: \(lost.output)")
        #expect(lost.stdout.split(separator: "\n").filter { $0.hasPrefix("registry.commands[") }
            .allSatisfy { $0.contains("LOG BEHIND STORE") }, "\(lost.stdout)")

        let dryRun = try await ecoctl(["offsets", "set", "--db", registry.dbPath, "--lost-logs"], brokers: broker.brokers)
        #expect(dryRun.status == 0, "\(dryRun.output)")
        #expect(dryRun.stdout.contains("-> 0 (caught up)") && dryRun.stdout.contains("nothing written"), "\(dryRun.stdout)")
        let stillLost = try await ecoctl(["offsets", "show", "--db", registry.dbPath], brokers: broker.brokers)
        #expect(stillLost.stdout.contains("LOG BEHIND STORE"))

        let moved = try await ecoctl(["offsets", "set", "--db", registry.dbPath, "--lost-logs", "--yes",
                                      "--reason", "broker restarted without its logs"],
                                     brokers: broker.brokers, environment: ["ECO_OPERATOR": "ops-on-call"])
        #expect(moved.status == 0, "\(moved.output)")
        #expect(moved.stdout.contains("written to"), "\(moved.stdout)")
        let after = try await ecoctl(["offsets", "show", "--db", registry.dbPath], brokers: broker.brokers)
        #expect(after.status == 0 && !after.stdout.contains("LOG BEHIND STORE"), "\(after.output)")
        // Who moved which partition, from where to where and why stays in the store.
        let audit = after.stdout.components(separatedBy: "offset moves, by operators or by the service itself").last ?? ""
        let auditRows = audit.split(separator: "\n").filter { $0.hasPrefix("20") }
        let movedLines = moved.stdout.split(separator: "\n").filter { $0.contains(" -> ") }
        #expect(!auditRows.isEmpty && auditRows.count == movedLines.count, "\(after.stdout)")
        #expect(auditRows.allSatisfy { $0.contains("registry.commands[") && $0.contains("ops-on-call@")
            && $0.contains("broker restarted without its logs") && $0.contains(" 0 ") }, "\(after.stdout)")

        // The registry starts ready, says where it resumes and why, applies a new command, and
        // still knows what it applied.
        try registry.start()
        try await registry.waitUntilReady()
        let startLog = try String(contentsOf: registry.logURL, encoding: .utf8)
        #expect(startLog.contains("lastOffsetMove") && startLog.contains("ops-on-call@"), "\(registry.logTail())")
        #expect(try await registry.status(Status.self).offsetFault == nil)
        let events = try TopicReader(brokers: broker.brokers, topic: .registryEvents, catalogue: .registryEvents)
        defer { events.close() }
        let again = try TopicWriter(brokers: broker.brokers)
        defer { again.close() }
        _ = try await again.send(RegisterEntity(Self.profile("OFF-NEW")), to: .registryCommands)
        _ = try await again.send(RegisterEntity(Self.profile("OFF-3")), to: .registryCommands)
        try await events.await(EntityRegistered.self) { $0.profile.entityId == "OFF-NEW" }
        try await events.await(CommandRejected.self) { $0.key == "OFF-3" && $0.code == "entity-exists" }
    }

    @Test func oneChosenPartitionMovesOnlyWithinTheChecksUnlessForced() async throws {
        let broker = try BrokerFixture()
        defer { broker.stop() }
        let registry = try ServiceProcess("registry", brokers: broker.brokers)
        try registry.start()
        try await registry.waitUntilReady()
        registry.stop()
        let file = ["--db", registry.dbPath, "--topic", "registry.commands", "--partition", "1"]
        // The store has no offset for this partition (nothing was consumed), and 7 is beyond the empty log.
        let unknown = try await ecoctl(["offsets", "set"] + file + ["--offset", "7", "--yes"], brokers: broker.brokers)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("stores no offset for registry.commands[1]"), "\(unknown.output)")
        let forced = try await ecoctl(["offsets", "set"] + file + ["--offset", "7", "--yes", "--force"], brokers: broker.brokers)
        #expect(forced.status == 0, "\(forced.output)")
        #expect(forced.stdout.contains("registry.commands[1]: none -> 7 (LOG BEHIND STORE by 7"), "\(forced.stdout)")
        let shown = try await ecoctl(["offsets", "show", "--db", registry.dbPath], brokers: broker.brokers)
        #expect(shown.status == 1 && shown.stdout.contains("LOG BEHIND STORE by 7"), "\(shown.output)")
        let outside = try await ecoctl(["offsets", "set"] + file + ["--offset", "9", "--yes"], brokers: broker.brokers)
        #expect(outside.status != 0)
        #expect(outside.stderr.contains("outside the broker's log (0-0)"), "\(outside.output)")
        let toEnd = try await ecoctl(["offsets", "set"] + file + ["--log-end", "--yes"], brokers: broker.brokers)
        #expect(toEnd.stdout.contains("registry.commands[1]: 7 -> 0 (caught up)"), "\(toEnd.output)")
        // Both writes are in the audit, newest first, without a reason when none was given.
        let audited = try await ecoctl(["offsets", "show", "--db", registry.dbPath], brokers: broker.brokers)
        let rows = (audited.stdout.components(separatedBy: "offset moves, by operators or by the service itself").last ?? "")
            .split(separator: "\n").filter { $0.hasPrefix("20") }
        #expect(rows.count == 2, "\(audited.stdout)")
        #expect(rows.first?.contains("registry.commands[1]") == true && rows.first?.contains(" 7 ") == true
                && rows.last?.contains("none") == true, "\(audited.stdout)")
        let unreachable = try await ecoctl(["offsets", "show", "--db", registry.dbPath], brokers: "127.0.0.1:1")
        #expect(unreachable.status == 1 && unreachable.stdout.contains("broker did not answer"), "\(unreachable.output)")
        let notAStore = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-store-\(UUID()).txt")
        try Data("hello".utf8).write(to: notAStore)
        let refused = try await ecoctl(["offsets", "show", "--db", notAStore.path], brokers: broker.brokers)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("not a service's store") || refused.stderr.contains("cannot open"), "\(refused.output)")
    }

    static func profile(_ id: String) -> EntityProfile {
        EntityProfile(entityId: id, name: "Plant \(id)", creditCode: "91350100M000100Y43", sector: .power,
                      district: "jinjiang", nationalETS: true, vocEmitter: false, greenBenchmark: false,
                      units: [GeneratingUnitSpec(unitId: "U1", category: .gas, capacityMW: 300, cooling: .water)])
    }
}
