import Contract
import Foundation
import GRDB
import Kafka
import Logging
@testable import ServiceRuntime
import Store
import Testing

/// A handler that records `RegisterEntity` and reads `UpdateEntity` without acting on it, and
/// says so (`ignoredInputs`); or, with `honest: false`, says so and writes anyway.
struct IgnoringHandler: EventHandler {
    var honest = true
    let serviceName = "ignorer"
    let inputTopics: [Topic] = [.registryCommands]
    let rejectionTopic: Topic = .registryEvents
    let catalogue = PayloadCatalogue([RegisterEntity.self, UpdateEntity.self])
    var ignoredInputs: [Topic: Set<EventType>] { [.registryCommands: [UpdateEntity.eventType]] }

    func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("ignorer-v1") { db in
            try db.execute(sql: "CREATE TABLE seen (entityId TEXT PRIMARY KEY NOT NULL)")
        }
    }

    func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        if let command = event.payload(as: RegisterEntity.self) {
            try context.db.execute(sql: "INSERT INTO seen (entityId) VALUES (?)", arguments: [command.profile.entityId])
            context.emit(EntityRegistered(command.profile), to: .registryEvents)
        } else if !honest, let update = event.payload(as: UpdateEntity.self) {
            try context.db.execute(sql: "INSERT INTO seen (entityId) VALUES (?)", arguments: [update.profile.entityId])
        }
    }
}

@Suite("Types a service reads and ignores")
struct IgnoredInputTests {
    let codec = EventCodec()

    func loop(_ handler: IgnoringHandler) throws -> ServiceLoop {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ignorer-\(UUID().uuidString).sqlite").path
        let store = try EventStore(path: path, migrations: handler.migrate)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return ServiceLoop(handler: handler, store: store, options: RuntimeOptions(brokers: "127.0.0.1:1"), logger: logger)
    }

    func record<P: EventPayload>(_ envelope: Envelope<P>, offset: Int64) -> ConsumerRecord {
        ConsumerRecord(topic: "registry.commands", partition: 0, offset: offset, key: Data(envelope.data.partitionKey.utf8),
                       value: codec.encode(envelope), timestampMs: 1_700_000_000_000 + offset)
    }

    /// Passed over after validation: no inbox row, no effect, counted as ignored (not as a
    /// duplicate, even when it comes twice), and the offsets move past it.
    @Test func anIgnoredTypeLeavesNoInboxRowAndMovesTheOffsets() throws {
        let loop = try loop(IgnoringHandler())
        let register = Envelope(command: RegisterEntity(profile("A")), source: "test")
        let update = Envelope(command: UpdateEntity(profile("A", name: "Renamed")), source: "test")
        var positions: [TopicPartition: Int64] = [TopicPartition(topic: "registry.commands", partition: 0): 0]
        try loop.apply([record(register, offset: 0), record(update, offset: 1), record(update, offset: 2)], positions: &positions)
        #expect(try loop.store.read { try Inbox.count($0) } == 1)
        #expect(try loop.store.read { try Inbox.contains($0, eventId: update.id.lowercasedString) } == false)
        #expect(try loop.store.read { try Outbox.all($0) }.map(\.eventType) == ["EntityRegistered"])
        let status = loop.status.snapshot
        #expect(status.ignored == 2 && status.duplicates == 0 && status.recordsIn == 3)
        #expect(try loop.store.read(Offsets.load)[TopicPartition(topic: "registry.commands", partition: 0)] == 3)
    }

    /// Ignoring a type does not skip validating it: a malformed record of it is still
    /// dead-lettered with the reason.
    @Test func aMalformedRecordOfAnIgnoredTypeIsStillDeadLettered() throws {
        let loop = try loop(IgnoringHandler())
        var bad = profile("B")
        bad.name = ""
        let update = Envelope(command: UpdateEntity(bad), source: "test")
        var positions: [TopicPartition: Int64] = [TopicPartition(topic: "registry.commands", partition: 0): 0]
        try loop.apply([record(update, offset: 0)], positions: &positions)
        let letters = try loop.store.read { try Outbox.all($0, topic: "registry.commands.dlq") }
        #expect(letters.count == 1)
        #expect(loop.status.snapshot.ignored == nil)
    }

    /// Debug builds (every test run) hand an ignored record to the handler anyway and stop when
    /// it acts: a declaration that drifted from the handler cannot pass the tests.
    @Test func aHandlerThatActsOnATypeItDeclaresIgnoredStopsADebugBuild() async {
        // The same steps with an honest handler: the child process ends well.
        await #expect(processExitsWith: .success) {
            let loop = try IgnoredInputTests().loop(IgnoringHandler())
            let update = Envelope(command: UpdateEntity(profile("A")), source: "test")
            var positions: [TopicPartition: Int64] = [:]
            try loop.apply([IgnoredInputTests().record(update, offset: 0)], positions: &positions)
        }
        await #expect(processExitsWith: .failure) {
            let loop = try IgnoredInputTests().loop(IgnoringHandler(honest: false))
            let update = Envelope(command: UpdateEntity(profile("A")), source: "test")
            var positions: [TopicPartition: Int64] = [:]
            try loop.apply([IgnoredInputTests().record(update, offset: 0)], positions: &positions)
        }
    }
}
