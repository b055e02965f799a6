import Contract
import Foundation
import GRDB
import RegistryDomain
import ServiceRuntime

/// Certified offsets (CCER) issued by the authority (`IssueOffsets`): the only way offsets enter
/// the holdings ledger, so that a CCER surrender (RULES.md: at most 5% of verified emissions)
/// retires something that was issued, and `/totals` for CCER balances like allowances do.
extension RegistryHandler {
    /// Credits `quantity` CCER to a registered entity from the issuance account, once per issuance
    /// id (`reference`) and entity. Any active entity may receive offsets (project owners and
    /// investors hold them too); a deregistered one may not, since it can no longer use them.
    /// - Throws: `unknown-entity`, `entity-deregistered`, `duplicate-reference` (the id was
    ///   already issued to the entity), `invalid-instrument`; nothing is written then.
    func issueOffsets(_ command: IssueOffsets, context: inout HandlerContext) throws {
        let db = context.db, now = context.now, cause = context.input.id
        _ = try activeEntity(command.entityId, db, for: "issue offsets to")
        try engine.with(db) { state in
            let entry: JournalEntry
            do throws(RegistryRefusal) {
                entry = try state.ledger.issueOffsets(to: command.entityId, command.instrument.ledger,
                                                      quantity: Int(command.quantity), issuanceId: command.reference)
            } catch {
                throw error.contractError
            }
            try state.storing(entry) { try JournalStore.append(db, entry, at: now, cause: cause) }
        }
        context.emit(OffsetsIssued(entityId: command.entityId, instrument: command.instrument, quantity: command.quantity,
                                   reference: command.reference), to: .registryEvents)
    }
}
