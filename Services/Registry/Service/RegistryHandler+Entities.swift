import Contract
import Foundation
import GRDB
import RegistryDomain
import ServiceRuntime

/// Registering, updating and deregistering entities. Every version is kept in `entity_history`.
extension RegistryHandler {
    func register(_ command: RegisterEntity, context: inout HandlerContext) throws {
        let profile = command.profile
        try validate(profile)
        if try EntityRecords.find(context.db, id: profile.entityId) != nil {
            throw ContractError(code: ServiceRefusal.entityExists, reason: "entity \(profile.entityId) is already registered")
        }
        try EntityRecords.insert(context.db, profile: profile, at: context.now, cause: context.input.id)
        // Memory last: nothing can refuse after this, and opening an account writes no entry.
        try engine.with(context.db) { state in _ = state.ledger.openAccount(profile.entityId) }
        context.emit(EntityRegistered(profile), to: .registryEvents)
    }

    /// Replaces an active entity's profile (the command carries the full profile).
    func update(_ command: UpdateEntity, context: inout HandlerContext) throws {
        let profile = command.profile
        let record = try activeEntity(profile.entityId, context.db, for: "update")
        try validate(profile)
        try EntityRecords.update(context.db, record, to: profile, at: context.now, cause: context.input.id)
        context.emit(EntityUpdated(profile), to: .registryEvents)
    }

    /// Deregisters an active entity: it keeps its record, history and holdings, and is
    /// suspended for trading (its sell orders are refused with `entity-suspended`).
    func deregister(_ command: DeregisterEntity, context: inout HandlerContext) throws {
        let record = try activeEntity(command.entityId, context.db, for: "deregister")
        try EntityRecords.deregister(context.db, record, reason: command.reason, at: context.now, cause: context.input.id)
        try engine.with(context.db) { state in _ = state.suspended.insert(command.entityId) }
        context.emit(EntityDeregistered(entityId: command.entityId, reason: command.reason), to: .registryEvents)
    }

    private func validate(_ profile: EntityProfile) throws {
        do {
            try configuration.registrationPolicy.validate(profile.domainEntity)
        } catch {
            throw error.contractError
        }
    }

    /// The record of `id`.
    /// - Throws: `unknown-entity`.
    func entity(_ id: String, _ db: Database) throws -> EntityRecord {
        guard let record = try EntityRecords.find(db, id: id) else {
            throw ContractError(code: ServiceRefusal.unknownEntity, reason: "no entity \(id) is registered")
        }
        return record
    }

    /// The record of `id` when it is still registered.
    /// - Throws: `unknown-entity`, `entity-deregistered`.
    func activeEntity(_ id: String, _ db: Database, for action: String) throws -> EntityRecord {
        let record = try entity(id, db)
        guard record.isActive else {
            throw ContractError(code: ServiceRefusal.entityDeregistered,
                                reason: "entity \(id) is deregistered; cannot \(action) it")
        }
        return record
    }
}
