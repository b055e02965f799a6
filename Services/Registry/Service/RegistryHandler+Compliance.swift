import Contract
import Foundation
import GRDB
import RegistryDomain
import ServiceRuntime

/// Verified emissions, surrender and compliance assessment (RULES.md, "Registry: compliance").
extension RegistryHandler {
    /// Records an entity's verified emissions for a year. A later submission for the same year
    /// replaces it as a new revision (a re-verification); surrenders and assessments read the
    /// current figure.
    func submitEmissions(_ command: SubmitVerifiedEmissions, context: inout HandlerContext) throws {
        let db = context.db
        _ = try coveredEntity(command.entityId, db)
        let previous = try ComplianceRecords.verified(db, entityId: command.entityId, year: command.year)
        try ComplianceRecords.saveVerified(db, entityId: command.entityId, year: command.year, tonnes: command.tonnes,
                                           revision: (previous?.revision ?? 0) + 1, at: context.now, cause: context.input.id)
        context.emit(EmissionsVerified(entityId: command.entityId, year: command.year, tonnes: command.tonnes),
                     to: .registryEvents)
    }

    /// Retires allowances (CEA) or offsets (CCER, at most 5% of the year's verified emissions)
    /// from the entity's unfrozen holding against a year's obligation. Allowed for a
    /// deregistered entity too: it still owes for the years it emitted.
    func surrender(_ command: SurrenderAllowances, context: inout HandlerContext) throws {
        let db = context.db, now = context.now, cause = context.input.id
        _ = try coveredEntity(command.entityId, db)
        let instrument = command.instrument.ledger
        let verified = try ComplianceRecords.verified(db, entityId: command.entityId, year: command.year).map { Int($0.tonnes) }
        let already = try ComplianceRecords.surrendered(db, entityId: command.entityId, year: command.year)
        do {
            try surrenderPolicy.check(instrument, quantity: Int(command.quantity), verified: verified,
                                      alreadySurrenderedCCER: Int(already[LedgerInstrument.ccer.rawValue] ?? 0))
        } catch {
            throw error.contractError
        }
        let reference = "surrender:\(command.year):\(cause.lowercasedString)"
        try engine.with(db) { state in
            let entry: JournalEntry
            do throws(RegistryRefusal) {
                entry = try state.ledger.surrender(from: command.entityId, instrument, quantity: Int(command.quantity),
                                                   reference: reference)
            } catch {
                throw error.contractError
            }
            try state.storing(entry) {
                try JournalStore.append(db, entry, at: now, cause: cause)
                try ComplianceRecords.recordSurrender(db, sequence: entry.sequence, entityId: command.entityId,
                                                      year: command.year, instrument: instrument.rawValue,
                                                      quantity: command.quantity, commandId: cause, at: now)
            }
        }
        context.emit(AllowancesSurrendered(entityId: command.entityId, year: command.year, instrument: command.instrument,
                                           quantity: command.quantity), to: .registryEvents)
    }

    /// Assesses one entity (any status) or every active national-ETS entity for a year, and
    /// stores each assessment. Running it again re-assesses with the current figures.
    func assess(_ command: AssessCompliance, context: inout HandlerContext) throws {
        let db = context.db
        let targets: [EntityRecord]
        if let id = command.entityId {
            targets = [try coveredEntity(id, db)]
        } else {
            targets = try EntityRecords.activeNationalETS(db)
            guard !targets.isEmpty else {
                throw ContractError(code: ServiceRefusal.noEntities, reason: "no active national-ETS entity is registered")
            }
        }
        for record in targets {
            let assessment: ComplianceAssessment
            do {
                assessment = try complianceCalculator.assess(try ComplianceRecords.figures(db, record, year: command.year))
            } catch let refusal as RegistryRefusal {
                if command.entityId != nil { throw refusal.contractError }
                context.emit(CommandRejected(commandId: context.input.id.lowercasedString,
                                             commandType: AssessCompliance.eventType.rawValue, code: refusal.code,
                                             reason: "entity \(record.profile.entityId): \(refusal.reason)",
                                             key: record.profile.entityId), to: .registryEvents)
                continue
            }
            try ComplianceRecords.saveAssessment(db, assessment, at: context.now, cause: context.input.id)
            context.emit(assessment.wire, to: .registryEvents)
        }
    }

    /// The record of a national-ETS entity (active or deregistered).
    /// - Throws: `unknown-entity`, `not-national-ets`.
    private func coveredEntity(_ id: String, _ db: Database) throws -> EntityRecord {
        let record = try entity(id, db)
        guard record.profile.nationalETS else {
            throw ContractError(code: ServiceRefusal.notNationalETS,
                                reason: "entity \(id) is not in the national ETS and has no compliance obligation")
        }
        return record
    }
}

extension ComplianceAssessment {
    /// The contract's `ComplianceAssessed`: `verified` is 0 while pending, `surrendered` counts
    /// CEA plus the CCER within the offset cap.
    var wire: ComplianceAssessed {
        ComplianceAssessed(entityId: entityId, year: year, verified: Int64(verified ?? 0), allocated: Int64(allocated),
                           surrendered: Int64(surrendered), obligation: Int64(obligation), shortfall: Int64(shortfall),
                           status: Contract.ComplianceStatus(rawValue: status.rawValue) ?? .pending)
    }
}
