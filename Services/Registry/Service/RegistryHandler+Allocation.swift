import Contract
import Foundation
import GRDB
import RegistryDomain
import ServiceRuntime

/// Allocation by the benchmark method (RULES.md): unit outputs in, allowances issued into the
/// holdings ledger, one `AllowancesAllocated` per entity with the per-unit audit trail.
///
/// - `pre` for year Y: `preAllocationShare` (70%) of the allowance for the reference year's
///   output (Y - 1 unless the rules file says otherwise), issued in full.
/// - `final` for year Y: the allowance for Y's own output; the holding changes by final minus
///   pre (issued when positive, clawed back when negative; a final without a pre issues it all).
/// - Each (entity, year, phase) is allocated once: a repeat is refused (`already-allocated`)
///   for one entity, and skipped for a year-wide run, which is refused only when it has nothing
///   left to allocate. A year-wide run refuses each entity it cannot allocate with its own
///   `CommandRejected` (keyed by the entity) and allocates the others.
extension RegistryHandler {
    /// Records a unit's output for a year. A new record for the same unit and year replaces the
    /// old one (a corrected figure) until an allocation has used it; then it is refused with
    /// `output-already-allocated`. `UnitOutputRecorded` answers it with the stored revision, so
    /// that a sender knows the figure is in before it asks for an allocation.
    func recordOutput(_ command: RecordUnitOutput, context: inout HandlerContext) throws {
        let db = context.db
        let record = try activeEntity(command.entityId, db, for: "record output of")
        guard record.profile.nationalETS else {
            throw ContractError(code: ServiceRefusal.notNationalETS,
                                reason: "entity \(command.entityId) is not in the national ETS: its output is not allocated on")
        }
        guard record.profile.units.contains(where: { $0.unitId == command.unitId }) else {
            throw ContractError(code: RefusalCode.unknownUnit, reason: "entity \(command.entityId) has no unit \(command.unitId)")
        }
        guard let loadRate = Decimal(exactly: command.loadRate), let ratio = Decimal(exactly: command.heatSupplyRatio) else {
            throw ContractError(code: RefusalCode.invalidOutput, reason: "loadRate and heatSupplyRatio must be decimal numbers")
        }
        let output = UnitOutput(unitId: command.unitId, electricityMWh: Decimal(command.electricityMWh),
                                heatGJ: Decimal(command.heatGJ), loadRate: loadRate, heatSupplyRatio: ratio)
        if let problem = output.problem { throw problem.contractError }
        if let used = try AllocationRecords.allocationUsing(db, entityId: command.entityId, outputYear: command.year) {
            throw ContractError(code: ServiceRefusal.outputAlreadyAllocated, reason: """
                output of \(command.entityId) for \(command.year) was used by its \(used.phase) allocation for \(used.year); \
                it can no longer be replaced
                """)
        }
        let previous = try AllocationRecords.output(db, entityId: command.entityId, unitId: command.unitId, year: command.year)
        let revision = (previous?.revision ?? 0) + 1
        guard revision <= UnitOutputRecorded.maxRevision else {
            throw ContractError(code: RefusalCode.invalidOutput, reason:
                "output of \(command.unitId) for \(command.year) was replaced \(revision - 1) times, the most the contract carries")
        }
        try AllocationRecords.saveOutput(db, StoredUnitOutput(
            entityId: command.entityId, unitId: command.unitId, year: command.year, electricityMWh: command.electricityMWh,
            heatGJ: command.heatGJ, loadRate: loadRate.description, heatSupplyRatio: ratio.description,
            revision: revision, recordedAt: context.now), cause: context.input.id)
        context.emit(UnitOutputRecorded(entityId: command.entityId, unitId: command.unitId, year: command.year,
                                        electricityMWh: command.electricityMWh, heatGJ: command.heatGJ,
                                        loadRate: command.loadRate, heatSupplyRatio: command.heatSupplyRatio,
                                        revision: revision), to: .registryEvents)
    }

    func allocate(_ command: AllocateAllowances, context: inout HandlerContext) throws {
        let db = context.db
        let targets = try allocationTargets(command, db)
        let existing = try AllocationRecords.allocations(db, year: command.year, entityId: command.entityId)
        let pending = targets.filter { existing[$0.profile.entityId]?[command.phase.rawValue] == nil }
        guard !pending.isEmpty else {
            let whom = command.entityId.map { "entity \($0) already has" }
                ?? "all \(targets.count) national-ETS entities already have"
            throw ContractError(code: ServiceRefusal.alreadyAllocated,
                                reason: "\(whom) their \(command.phase.rawValue) allocation for \(command.year)")
        }
        let referenceYear = command.phase == .pre ? configuration.referenceYear(forPreAllocationOf: command.year) : command.year
        let outputs = try AllocationRecords.outputs(db, year: referenceYear, entityId: command.entityId)
        var outcomes: [AllocationOutcome] = pending.map { record in
            let id = record.profile.entityId
            do throws(ContractError) {
                return .planned(try plan(record, command: command, referenceYear: referenceYear,
                                         outputs: outputs[id] ?? [], existing: existing[id] ?? [:]))
            } catch {
                return .refused(id, error)
            }
        }
        if command.entityId != nil, case let .refused(_, error) = outcomes[0] { throw error }
        let now = context.now, cause = context.input.id
        outcomes = try engine.with(db) { state in
            try outcomes.map { outcome in try apply(outcome, to: &state, db, at: now, cause: cause) }
        }
        if command.entityId != nil, case let .refused(_, error) = outcomes[0] { throw error }
        for outcome in outcomes {
            switch outcome {
            case let .allocated(event):
                context.emit(event, to: .registryEvents)
            case let .refused(entityId, error):
                context.emit(CommandRejected(commandId: context.input.id.lowercasedString,
                                             commandType: AllocateAllowances.eventType.rawValue, code: error.code,
                                             reason: "entity \(entityId): \(error.reason)", key: entityId), to: .registryEvents)
            case .planned:
                continue
            }
        }
    }

    private func allocationTargets(_ command: AllocateAllowances, _ db: Database) throws -> [EntityRecord] {
        if let id = command.entityId {
            let record = try activeEntity(id, db, for: "allocate to")
            guard record.profile.nationalETS else {
                throw ContractError(code: ServiceRefusal.notNationalETS, reason: "entity \(id) is not in the national ETS")
            }
            return [record]
        }
        let targets = try EntityRecords.activeNationalETS(db)
        guard !targets.isEmpty else {
            throw ContractError(code: ServiceRefusal.noEntities, reason: "no active national-ETS entity is registered")
        }
        return targets
    }

    /// Computes one entity's allocation (pure: nothing is written).
    private func plan(_ record: EntityRecord, command: AllocateAllowances, referenceYear: Int,
                      outputs: [StoredUnitOutput], existing: [String: StoredAllocation]) throws(ContractError) -> AllocationPlan {
        let entity = record.profile.domainEntity
        guard !entity.units.isEmpty else {
            throw ContractError(code: ServiceRefusal.noUnits, reason: "has no generating units to allocate to")
        }
        if command.phase == .pre, let final = existing["final"] {
            throw ContractError(code: ServiceRefusal.finalAlreadyAllocated,
                                reason: "its final allocation for \(command.year) (\(final.quantity) t) is already made")
        }
        let inputs = outputs.compactMap(\.domain)
        let allocation: EntityAllocation
        do {
            allocation = try allocator.allocate(entity: entity, outputs: inputs, phase: command.phase.domain)
        } catch {
            throw ContractError(code: error.code, reason: "\(error.reason) (output year \(referenceYear))")
        }
        let quantity = Int64(allocation.quantity)
        let change = command.phase == .pre ? quantity : quantity - (existing["pre"]?.quantity ?? 0)
        return AllocationPlan(allocation: allocation, stored: StoredAllocation(
            entityId: entity.entityId, year: command.year, phase: command.phase.rawValue, referenceYear: referenceYear,
            quantity: quantity, holdingChange: change, rulesVersion: allocation.rulesVersion, allocatedAt: .init(millisecondsSinceEpoch: 0)))
    }

    /// Issues or claws back a planned allocation and stores it; a ledger refusal (a claw-back
    /// larger than what the entity has unfrozen) refuses that entity and changes nothing.
    private func apply(_ outcome: AllocationOutcome, to state: inout LedgerEngine.State, _ db: Database,
                       at now: Timestamp, cause: UUID) throws -> AllocationOutcome {
        guard case var .planned(plan) = outcome else { return outcome }
        plan.stored.allocatedAt = now
        let stored = plan.stored
        let reference = "allocation:\(stored.year):\(stored.phase)"
        let entry: JournalEntry?
        do throws(RegistryRefusal) {
            if stored.holdingChange > 0 {
                entry = try state.ledger.issue(to: stored.entityId, .cea, quantity: Int(stored.holdingChange), reference: reference)
            } else if stored.holdingChange < 0 {
                entry = try state.ledger.clawBack(from: stored.entityId, .cea, quantity: Int(-stored.holdingChange),
                                                  reference: reference)
            } else {
                entry = nil
            }
        } catch {
            return .refused(stored.entityId, error.contractError)
        }
        try state.storing(entry) {
            if let entry { try JournalStore.append(db, entry, at: now, cause: cause) }
            try AllocationRecords.insert(db, stored, detail: plan.allocation, cause: cause)
        }
        return .allocated(plan.event)
    }
}

/// One entity's allocation before it is applied: the domain's audit trail and the row to store.
struct AllocationPlan: Sendable {
    var allocation: EntityAllocation
    var stored: StoredAllocation

    var event: AllowancesAllocated {
        AllowancesAllocated(entityId: stored.entityId, year: stored.year,
                            phase: Contract.AllocationPhase(rawValue: stored.phase) ?? .final, quantity: stored.quantity,
                            units: allocation.units.map(\.wire), rulesVersion: stored.rulesVersion,
                            holdingChange: stored.holdingChange)
    }
}

enum AllocationOutcome: Sendable {
    case planned(AllocationPlan)
    case allocated(AllowancesAllocated)
    case refused(String, ContractError)
}

extension RegistryDomain.UnitAllocation {
    /// The contract's view: whole tonnes, every factor as exact decimal text, and the output
    /// the formula was applied to (scaled by the pre-allocation share, rounded to whole units).
    var wire: Contract.UnitAllocation {
        Contract.UnitAllocation(unitId: unitId, quantity: exactQuantity.wholeInt64 ?? 0,
                                electricityBenchmark: electricityBenchmark.description,
                                heatBenchmark: heatBenchmark.description, coolingFactor: coolingFactor.description,
                                heatSupplyFactor: heatSupplyFactor.description, loadFactor: loadFactor.description,
                                electricityMWh: (electricityMWh * share).wholeInt64, heatGJ: (heatGJ * share).wholeInt64)
    }
}
