import Contract
import Foundation
import GRDB
import ServiceRuntime
import Synchronization

/// A small handler for runtime tests: remembers entity ids in its own table and echoes
/// `EntityRegistered`. Names steer it: "decline" refuses before writing, "refuse" writes then
/// refuses, "bug" hits a constraint, "huge" echoes an event of more than 8 KB, "unwritable" makes
/// the next deferred write fail on a constraint. It also counts the
/// records it applied in memory and adds the count to its `tally` row only when the runtime asks
/// for its deferred writes, as the registry and settlement write their balance rows back, and
/// keeps the ids it has seen in memory (`remembered`, reloaded from `seen` by `restore`), as the
/// registry keeps its ledger: what the runtime undoes there must be undone here too.
struct RecordingHandler: EventHandler {
    let serviceName = "recorder"
    let inputTopics: [Topic] = [.registryCommands]
    let rejectionTopic: Topic = .registryEvents
    let catalogue = PayloadCatalogue([RegisterEntity.self])
    /// Records applied since the last deferred write, and how many deferred writes wrote some.
    let unsaved = UnsavedCount()
    /// The entity ids applied, in memory; equal to the `seen` table after every batch.
    let remembered = RememberedIDs()
    /// How often records were handed over and the handler restored: what a batch cost.
    let calls = CallCounts()

    func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("recorder-v1") { db in
            try db.execute(sql: "CREATE TABLE seen (entityId TEXT PRIMARY KEY NOT NULL)")
            try db.execute(sql: "CREATE TABLE tally (id INTEGER PRIMARY KEY CHECK (id = 1), applied INTEGER NOT NULL)")
            try db.execute(sql: "INSERT INTO tally (id, applied) VALUES (1, 0)")
        }
    }

    func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        calls.withLock { $0.handled += 1 }
        try record(event, context: &context)
        // Counted only once applied whole: a refused record's count must never be written.
        let unwritable = event.payload(as: RegisterEntity.self)?.profile.name == "unwritable"
        unsaved.withLock { $0.count += 1; if unwritable { $0.poisoned = true } }
    }

    func writeDeferred(_ db: Database) throws {
        let (count, poisoned) = unsaved.withLock { unsaved -> (Int, Bool) in
            defer { unsaved.count = 0; unsaved.poisoned = false }
            if unsaved.count > 0 { unsaved.writes += 1 }
            return (unsaved.count, unsaved.poisoned)
        }
        if poisoned { try db.execute(sql: "INSERT INTO tally (id, applied) VALUES (2, 0)") }  // CHECK (id = 1) fails
        guard count > 0 else { return }
        try db.execute(sql: "UPDATE tally SET applied = applied + ?", arguments: [count])
    }

    func restore(from store: EventStoreReader) throws {
        calls.withLock { $0.restored += 1 }
        unsaved.withLock { $0.count = 0; $0.poisoned = false }
        let ids = try store.read { try String.fetchAll($0, sql: "SELECT entityId FROM seen") }
        remembered.replace(with: Set(ids))
    }

    private func record(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        guard let command = event.payload(as: RegisterEntity.self) else { return }
        if command.profile.name == "decline" {
            throw ContractError(code: "declined-for-test", reason: "the test asked for a refusal before any write")
        }
        try context.db.execute(sql: "INSERT INTO seen (entityId) VALUES (?)", arguments: [command.profile.entityId])
        switch command.profile.name {
        case "refuse":
            throw ContractError(code: "refused-for-test", reason: "the test asked for a refusal")
        case "bug":
            // A handler bug: memory moved, then a constraint it did not expect.
            remembered.insert(command.profile.entityId)
            try context.db.execute(sql: "INSERT INTO seen (entityId) VALUES (?)", arguments: [command.profile.entityId])
        case "huge":
            var huge = command.profile
            huge.name = String(repeating: "h", count: 8_192)
            context.emit(EntityRegistered(command.profile), to: .registryEvents)
            context.emit(EntityRegistered(huge), to: .registryEvents)
        default:
            context.emit(EntityRegistered(command.profile), to: .registryEvents)
            if command.profile.name == "twice" { context.emit(EntityRegistered(command.profile), to: .registryEvents) }
        }
        remembered.insert(command.profile.entityId)
    }
}

final class RememberedIDs: Sendable {
    private let ids = Mutex(Set<String>())
    func insert(_ id: String) { ids.withLock { _ = $0.insert(id) } }
    func replace(with new: Set<String>) { ids.withLock { $0 = new } }
    var sorted: [String] { ids.withLock { $0.sorted() } }
}

final class CallCounts: Sendable {
    private let state = Mutex((handled: 0, restored: 0))
    func withLock<T: Sendable>(_ body: (inout (handled: Int, restored: Int)) -> T) -> T { state.withLock { body(&$0) } }
    var snapshot: (handled: Int, restored: Int) { withLock { $0 } }
}

final class UnsavedCount: Sendable {
    private let state = Mutex((count: 0, writes: 0, poisoned: false))
    func withLock<T: Sendable>(_ body: (inout (count: Int, writes: Int, poisoned: Bool)) -> T) -> T { state.withLock { body(&$0) } }
}

func profile(_ id: String, name: String = "Plant") -> EntityProfile {
    EntityProfile(entityId: id, name: name, creditCode: "91350100M000100Y43", sector: .power, district: "jinjiang",
                  nationalETS: true, vocEmitter: false, greenBenchmark: false,
                  units: [GeneratingUnitSpec(unitId: "U1", category: .gas, capacityMW: 300, cooling: .water)])
}
