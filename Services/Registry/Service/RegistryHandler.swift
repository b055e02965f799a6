import Contract
import Foundation
import GRDB
import RegistryDomain
import ServiceRuntime
import Store

/// The registry service's wiring: `registry.commands` in, `registry.events` out, entities kept
/// in its SQLite file with their history.
public struct RegistryHandler: EventHandler {
    public let serviceName = "registry"
    public let inputTopics: [Topic] = [.registryCommands]
    public let rejectionTopic: Topic = .registryEvents
    public let catalogue = PayloadCatalogue([RegisterEntity.self])
    public let policy: RegistrationPolicy

    public init(policy: RegistrationPolicy = RegistrationPolicy()) {
        self.policy = policy
    }

    public func migrate(_ migrator: inout DatabaseMigrator) {
        RegistrySchema.register(in: &migrator)
    }

    public func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        switch event.payload {
        case let command as RegisterEntity:
            try register(command, context: &context)
        default:
            throw ContractError(code: "unsupported-command", reason: "registry does not handle \(event.type)")
        }
    }

    private func register(_ command: RegisterEntity, context: inout HandlerContext) throws {
        let profile = command.profile
        do {
            try policy.validate(profile.domainEntity)
        } catch {
            throw ContractError(code: error.code, reason: error.reason)
        }
        if try EntityRecords.find(context.db, id: profile.entityId) != nil {
            throw ContractError(code: "entity-exists", reason: "entity \(profile.entityId) is already registered")
        }
        try EntityRecords.insert(context.db, profile: profile, at: context.now, cause: context.input.id)
        context.emit(EntityRegistered(profile), to: .registryEvents)
    }

    public func adminRoutes(store: EventStoreReader) -> [AdminRoute] {
        RegistryReadSide(store: store).routes
    }
}

extension EntityProfile {
    /// The registry domain's view of the contract's profile.
    var domainEntity: Entity {
        Entity(entityId: entityId, name: name, creditCode: creditCode,
               sector: RegistryDomain.Sector(rawValue: sector.rawValue) ?? .other, district: district,
               nationalETS: nationalETS, pilotMarket: pilotMarket, vocEmitter: vocEmitter, greenBenchmark: greenBenchmark,
               units: units.map { unit in
                   GeneratingUnit(unitId: unit.unitId,
                                  category: RegistryDomain.UnitCategory(rawValue: unit.category.rawValue) ?? .gas,
                                  capacityMW: Int(unit.capacityMW),
                                  cooling: RegistryDomain.Cooling(rawValue: unit.cooling.rawValue) ?? .water)
               })
    }
}
