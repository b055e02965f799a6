import GRDB
import RegistryDomain
import Store
import Synchronization

/// The holdings rows that journal entries of the open transaction changed and that are not
/// written back yet.
///
/// Writing an entity's holding back after every entry rewrote the same few rows hundreds of
/// times a batch (every freeze and every transfer touches one or two traders). The rows are
/// written once, from the ledger, when the runtime asks for the handler's deferred writes
/// (`EventHandler.writeDeferred`: at the end of the batch, or after each record when it applies
/// the batch record by record) and before a new trading day rewrites them in SQL. A holding row
/// holds only the ledger's values, so writing it later gives it what writing it after each entry
/// would have left, and the table still equals the ledger at every commit. The set outlives a
/// reload of the state inside the transaction (the entries it stands for are still there) and
/// is forgotten when the transaction rolls back (`LedgerEngine.reload`).
final class UnsavedHoldings: Sendable {
    private struct Key: Hashable, Sendable {
        var owner: String
        var instrument: LedgerInstrument
    }

    private let keys = Mutex(KeyedInOrder<Key, Void>())

    /// Notes the holdings a stored `entry` changed (the authority's issuance account has none).
    func note(_ entry: JournalEntry) {
        keys.withLock { keys in
            func touch(_ owner: String) {
                guard owner != LedgerAccount.authority else { return }
                keys.insert(Key(owner: owner, instrument: entry.debit.instrument))
            }
            touch(entry.debit.owner)
            if entry.credit.owner != entry.debit.owner { touch(entry.credit.owner) }
        }
    }

    /// Writes every noted holding from `ledger`, in the order they were first changed, and
    /// forgets them, also when a write fails: a record applied in its own savepoint
    /// (`ApplyMode.careful`) must not hand its failed rows to the next one.
    func write(_ db: Database, ledger: HoldingsLedger) throws {
        let pending = keys.withLock { keys -> [Key] in
            defer { keys = KeyedInOrder() }
            return keys.keys
        }
        for key in pending { try JournalStore.saveHolding(db, owner: key.owner, key.instrument, ledger: ledger) }
    }

    func discard() {
        keys.withLock { $0 = KeyedInOrder() }
    }
}
