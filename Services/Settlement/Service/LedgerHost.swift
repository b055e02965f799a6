import Contract
import Foundation
import GRDB
import SettlementDomain
import Store
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
        var lastRestore: RestoreReport?
        /// The sequence of the snapshot the store holds and the ledger was rebuilt from (0 when
        /// none was, or it was passed over): how far the journal has run past it.
        var snapshotSequence: Int64 = 0
    }

    let rules: SettlementRules
    private let held: Mutex<Held>

    /// - Throws: `SettlementRefusal` (`invalid-rules`) when the rules cannot be used.
    init(rules: SettlementRules) throws {
        self.rules = rules
        let empty = try FundsLedger(rules: rules)
        held = Mutex(Held(ledger: empty, stale: true, lastRestore: nil))
    }

    /// Replaces the ledger with the one the stored snapshot and journal rebuild.
    func reload(_ db: Database) throws {
        let (ledger, report) = try Self.load(db, rules: rules, checkingBalances: true)
        held.withLock {
            $0 = Held(ledger: ledger, stale: false, lastRestore: report, snapshotSequence: report.snapshotSequence ?? 0)
        }
    }

    /// Runs `body` on the ledger. Any error it throws marks the ledger stale, so that the next
    /// use reloads it from `db` (where the failed record's writes are rolled back).
    func with<T: Sendable>(_ db: Database, _ body: (inout FundsLedger) throws -> T) throws -> T {
        try held.withLock { held throws -> T in
            try refresh(&held, db)
            do {
                return try body(&held.ledger)
            } catch {
                held.stale = true
                throw error
            }
        }
    }

    /// Reloads a stale ledger from `db`. Inside a batch: the balance rows may still wait for
    /// `writeDeferred`, so they are not compared. The report stays the last restore's (why a
    /// restart took long is what an operator asks).
    private func refresh(_ held: inout Held, _ db: Database) throws {
        guard held.stale else { return }
        held.ledger = try Self.load(db, rules: rules, checkingBalances: false).0
        held.stale = false
    }

    /// A read of the ledger as the last `with` left it (tests and diagnostics).
    func read<T: Sendable>(_ body: (FundsLedger) -> T) -> T {
        held.withLock { body($0.ledger) }
    }

    /// Stores the ledger's snapshot in `db`'s transaction when `force` or when the journal has
    /// run `every` entries (0: never) past the last one stored; true if it stored one.
    @discardableResult
    func storeSnapshot(_ db: Database, at now: Timestamp, force: Bool = false, every: Int64 = 0) throws -> Bool {
        try held.withLock { held throws -> Bool in
            try refresh(&held, db)
            let due = force || (every > 0 && held.ledger.lastSequence - held.snapshotSequence >= every)
            guard due else { return false }
            try LedgerSnapshotTable.store(db, held.ledger.snapshot(), atMilliseconds: now.millisecondsSinceEpoch)
            // Ahead of the commit: a rolled-back batch makes the runtime reload, which resets it.
            held.snapshotSequence = held.ledger.lastSequence
            return true
        }
    }

    /// How `reload` last rebuilt the ledger (at start, or after a rolled-back batch), if it did.
    var lastRestore: RestoreReport? { held.withLock { $0.lastRestore } }

    /// The ledger the stored snapshot, the journal after it and the stored trading day rebuild,
    /// with `rules`; the whole journal when no snapshot is stored or the stored one cannot be
    /// used (it does not decode, its parts disagree, the journal after it does not replay, or,
    /// with `checkingBalances`, the result differs from the stored balance rows), which the
    /// report names.
    /// - Throws: `StoreCorruption` or `SettlementRefusal` (`invalid-journal`) for a journal that
    ///   does not replay, GRDB errors for a store that cannot be read.
    static func load(_ db: Database, rules: SettlementRules, checkingBalances: Bool) throws -> (FundsLedger, RestoreReport) {
        let started = ContinuousClock.now
        try JournalStore.checkAccounts(db, rules: rules)
        let day = try JournalStore.tradingDay(db)
        let (rebuilt, refused) = try RestoreReport.attempt { () throws -> (FundsLedger, RestoreReport)? in
            guard let snapshot = try LedgerSnapshotTable.load(db, as: LedgerSnapshot.self) else { return nil }
            let last = try JournalStore.lastSequence(db)
            guard last >= snapshot.sequence else {
                throw UnusableLedgerSnapshot("the journal ends at entry \(last), before the snapshot's \(snapshot.sequence)")
            }
            let tail = try JournalStore.stream(db, after: snapshot.sequence)
            let ledger = try FundsLedger(rules: rules, tradingDay: day, restoring: snapshot, replaying: tail)
            try tail.check()
            if checkingBalances, try ledger.balanceSheet != BalanceStore.balanceSheet(db, rules: rules) {
                throw UnusableLedgerSnapshot("the snapshot and the journal after it give other balances than the stored rows")
            }
            return (ledger, RestoreReport(source: .snapshot, snapshotSequence: snapshot.sequence,
                                          entriesReplayed: ledger.lastSequence - snapshot.sequence, since: started,
                                          snapshotRefused: nil))
        }
        if let rebuilt { return rebuilt }
        let journal = try JournalStore.stream(db)
        let ledger = try FundsLedger(rules: rules, tradingDay: day, replaying: journal)
        try journal.check()
        return (ledger, RestoreReport(source: .journal, snapshotSequence: nil, entriesReplayed: ledger.lastSequence,
                                      since: started, snapshotRefused: refused))
    }
}
