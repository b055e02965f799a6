import Foundation
import GRDB
import SettlementDomain
import Synchronization

/// The funds ledger in memory, behind a lock, always equal to what the current transaction has
/// written to SQLite.
///
/// The ledger is a value whose operations either refuse and change nothing or change it and
/// return the entries to store, so a handler step is: operate, then write the entries and the
/// rows they touched. If anything throws after the ledger changed (a write failed, an
/// unexpected refusal), the runtime rolls the record back; the host then marks the ledger
/// stale and reloads it from SQLite, inside the same transaction, before the next use. A batch
/// that does not commit makes the runtime call `restore`, which reloads it too. So memory
/// never runs ahead of what SQLite holds, and no refusal is thrown after a change.
final class LedgerHost: Sendable {
    private struct Held {
        var ledger: FundsLedger
        var stale: Bool
    }

    let rules: SettlementRules
    private let held: Mutex<Held>

    /// - Throws: `SettlementRefusal` (`invalid-rules`) when the rules cannot be used.
    init(rules: SettlementRules) throws {
        self.rules = rules
        let empty = try FundsLedger(rules: rules)
        held = Mutex(Held(ledger: empty, stale: true))
    }

    /// Replaces the ledger with the one the stored journal rebuilds.
    func reload(_ db: Database) throws {
        let ledger = try Self.load(db, rules: rules)
        held.withLock { $0 = Held(ledger: ledger, stale: false) }
    }

    /// Runs `body` on the ledger. Any error it throws marks the ledger stale, so that the next
    /// use reloads it from `db` (where the failed record's writes are rolled back).
    func with<T: Sendable>(_ db: Database, _ body: (inout FundsLedger) throws -> T) throws -> T {
        try held.withLock { held throws -> T in
            if held.stale {
                held.ledger = try Self.load(db, rules: rules)
                held.stale = false
            }
            do {
                return try body(&held.ledger)
            } catch {
                held.stale = true
                throw error
            }
        }
    }

    /// A read of the ledger as the last `with` left it (tests and diagnostics).
    func read<T: Sendable>(_ body: (FundsLedger) -> T) -> T {
        held.withLock { body($0.ledger) }
    }

    /// The ledger the journal and the stored trading day rebuild, with `rules`.
    /// - Throws: `StoreCorruption` or `SettlementRefusal` (`invalid-journal`) for a journal that
    ///   does not replay, GRDB errors for a store that cannot be read.
    static func load(_ db: Database, rules: SettlementRules) throws -> FundsLedger {
        try JournalStore.checkAccounts(db, rules: rules)
        let day = try JournalStore.tradingDay(db)
        let journal = try JournalStore.stream(db)
        let ledger = try FundsLedger(rules: rules, tradingDay: day, replaying: journal)
        try journal.check()
        return ledger
    }
}
