import Contract
import Foundation
import GRDB
import ServiceRuntime

/// A small handler for runtime tests: remembers entity ids in its own table and echoes
/// `EntityRegistered`. Names steer it: "decline" refuses before writing, "refuse" writes then
/// refuses, "bug" hits a constraint, "huge" echoes an event of more than 8 KB.
struct RecordingHandler: EventHandler {
    let serviceName = "recorder"
    let inputTopics: [Topic] = [.registryCommands]
    let rejectionTopic: Topic = .registryEvents
    let catalogue = PayloadCatalogue([RegisterEntity.self])

    func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("recorder-v1") { db in
            try db.execute(sql: "CREATE TABLE seen (entityId TEXT PRIMARY KEY NOT NULL)")
        }
    }

    func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        guard let command = event.payload(as: RegisterEntity.self) else { return }
        if command.profile.name == "decline" {
            throw ContractError(code: "declined-for-test", reason: "the test asked for a refusal before any write")
        }
        try context.db.execute(sql: "INSERT INTO seen (entityId) VALUES (?)", arguments: [command.profile.entityId])
        switch command.profile.name {
        case "refuse":
            throw ContractError(code: "refused-for-test", reason: "the test asked for a refusal")
        case "bug":
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
    }
}

func profile(_ id: String, name: String = "Plant") -> EntityProfile {
    EntityProfile(entityId: id, name: name, creditCode: "91350100M000100Y43", sector: .power, district: "jinjiang",
                  nationalETS: true, vocEmitter: false, greenBenchmark: false,
                  units: [GeneratingUnitSpec(unitId: "U1", category: .gas, capacityMW: 300, cooling: .water)])
}
