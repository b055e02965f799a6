import Contract
import EcoTestKit
import Foundation
import GRDB
import Testing

/// The foundation's proof path over a real broker and the real `registry` executable.
@Suite("Registry registration over the broker", .serialized)
struct RegistrationTopicTests {
    @Test func registerEntityEmitsEntityRegisteredAndStoresTheRow() async throws {
        let fixture = try await RegistryFixture()
        defer { fixture.stop() }
        let id = try await fixture.writer.send(RegisterEntity(plant("E-1")), to: .registryCommands)
        let registered = try await fixture.events.await(EntityRegistered.self) { $0.profile.entityId == "E-1" }
        #expect(registered.profile == plant("E-1"))
        let record = try #require(fixture.events.records.first { $0.type == "EntityRegistered" })
        #expect(record.envelope?.header.causationId == id)
        #expect(record.envelope?.header.source == "registry")
        #expect(record.record.keyString == "E-1")
        #expect(record.record.header("type") == Data("EntityRegistered".utf8))
        #expect(try fixture.entityCount() == 1)
        let history = try fixture.count("SELECT COUNT(*) FROM entity_history WHERE entityId = 'E-1'")
        #expect(history == 1)
        let (status, body) = try await fixture.registry.admin("/entities/E-1")
        #expect(status == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("\"entityId\" : \"E-1\""))
    }

    /// What the broker acknowledged is recorded as published in SQLite: by the loop in a later
    /// batch while records keep coming, and by the publisher itself once the service is idle,
    /// so a restart re-sends nothing of it.
    @Test func acknowledgedEventsAreRecordedAsPublishedWhileBusyAndWhenIdle() async throws {
        let fixture = try await RegistryFixture()
        defer { fixture.stop() }
        func marks() throws -> (published: Int64, written: Int64) {
            try fixture.database().read { db in
                (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(throughSeq), 0) FROM outbox_published") ?? 0,
                 try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM outbox") ?? 0)
            }
        }
        for index in 0..<20 {
            try await fixture.writer.send(RegisterEntity(plant("M-\(index)")), to: .registryCommands)
            try await fixture.events.await(EntityRegistered.self) { $0.profile.entityId == "M-\(index)" }
        }
        // Idle now: the last acknowledgement is recorded within the publisher's delay.
        let deadline = ContinuousClock.now + .seconds(10)
        var current = try marks()
        while current.published < current.written, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            current = try marks()
        }
        #expect(current.written == 20)
        #expect(current.published == current.written)
    }

    @Test func theSameCommandTwiceHasOneEffect() async throws {
        let fixture = try await RegistryFixture()
        defer { fixture.stop() }
        let command = Envelope(command: RegisterEntity(plant("E-2")), source: "test")
        try await fixture.writer.send(command, to: .registryCommands)
        try await fixture.writer.send(command, to: .registryCommands)
        try await fixture.writer.send(RegisterEntity(plant("E-marker")), to: .registryCommands)
        try await fixture.events.await(EntityRegistered.self) { $0.profile.entityId == "E-marker" }
        // The marker is on another partition, so it may be applied before the copy: wait until
        // the copy was seen (and dropped) before looking at the effects.
        var status = ""
        let deadline = ContinuousClock.now + .seconds(20)
        while !status.contains("\"duplicates\":1"), ContinuousClock.now < deadline {
            status = String(decoding: try await fixture.registry.admin("/status").body, as: UTF8.self)
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(status.contains("\"duplicates\":1"), "\(status)")
        try await fixture.events.await(EntityRegistered.self) { $0.profile.entityId == "E-2" }
        #expect(fixture.events.payloads(EntityRegistered.self).filter { $0.profile.entityId == "E-2" }.count == 1)
        #expect(fixture.events.payloads(CommandRejected.self).isEmpty)
        #expect(try fixture.entityCount() == 2)
    }

    @Test func malformedAndUnknownRecordsAreDeadLetteredWhileTheNextGoodOneIsProcessed() async throws {
        let fixture = try await RegistryFixture()
        defer { fixture.stop() }
        try await fixture.writer.sendRaw(Data("{\"id\": truncated".utf8), key: "E-x", to: .registryCommands)
        let unknown = #"{"id":"5a3c1f8e-2b4d-4e6f-8a9b-0c1d2e3f4a5b","type":"LaunchRocket","version":1,"occurredAt":"2026-07-16T01:30:00.000Z","source":"test","data":{}}"#
        try await fixture.writer.sendRaw(Data(unknown.utf8), key: "E-x", to: .registryCommands)
        try await fixture.writer.send(RegisterEntity(plant("E-after")), to: .registryCommands)

        try await fixture.events.await(EntityRegistered.self) { $0.profile.entityId == "E-after" }
        let malformed = try await fixture.deadLetters.awaitDeadLetter { $0.code == "malformed-json" }
        #expect(malformed.value == "{\"id\": truncated")
        #expect(malformed.topic == "registry.commands")
        #expect(!malformed.reason.isEmpty)
        let unknownType = try await fixture.deadLetters.awaitDeadLetter { $0.code == "unknown-type" }
        #expect(unknownType.reason.contains("LaunchRocket"))
        #expect(unknownType.eventId == "5a3c1f8e-2b4d-4e6f-8a9b-0c1d2e3f4a5b")
        #expect(fixture.registry.isRunning)
    }

    @Test func refusedRegistrationsGiveCommandRejectedAndChangeNothing() async throws {
        let fixture = try await RegistryFixture()
        defer { fixture.stop() }
        let badCode = try await fixture.writer.send(RegisterEntity(plant("E-bad", creditCode: "91350100M000100Y44")), to: .registryCommands)
        let pilot = try await fixture.writer.send(RegisterEntity(plant("E-pilot", pilotMarket: "shanghai")), to: .registryCommands)
        try await fixture.writer.send(RegisterEntity(plant("E-ok")), to: .registryCommands)
        let twice = try await fixture.writer.send(RegisterEntity(plant("E-ok")), to: .registryCommands)

        let codeRefusal = try await fixture.events.await(CommandRejected.self) { $0.commandId == badCode.uuidString.lowercased() }
        #expect(codeRefusal.code == "invalid-credit-code")
        #expect(codeRefusal.reason.contains("check character"))
        let pilotRefusal = try await fixture.events.await(CommandRejected.self) { $0.commandId == pilot.uuidString.lowercased() }
        #expect(pilotRefusal.code == "national-and-pilot-market")
        let existing = try await fixture.events.await(CommandRejected.self) { $0.commandId == twice.uuidString.lowercased() }
        #expect(existing.code == "entity-exists")
        #expect(try fixture.entityCount() == 1)
        #expect(fixture.events.payloads(EntityRegistered.self).map(\.profile.entityId) == ["E-ok"])
    }

    @Test func sigtermStopsTheServiceCleanlyAfterItsBatch() async throws {
        let fixture = try await RegistryFixture()
        defer { fixture.stop() }
        try await fixture.writer.send(RegisterEntity(plant("E-term")), to: .registryCommands)
        try await fixture.events.await(EntityRegistered.self) { $0.profile.entityId == "E-term" }
        fixture.registry.stop(signal: SIGTERM)
        #expect(fixture.registry.exitStatus == 0)
        #expect(fixture.registry.logTail().contains("\"msg\":\"stopped\""))
    }
}
