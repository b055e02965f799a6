import Contract
import Foundation
import GRDB
import RegistryDomain
import Store
import Synchronization

/// The registry's in-memory state: the holdings ledger (balances, holds, trade and reference
/// guards, the trading day) and the set of suspended (deregistered) entities, so that a freeze
/// or a transfer is decided without reading SQLite.
///
/// Memory must always equal what SQLite holds. The rule that keeps it so: a domain operation
/// either refuses (throws before changing anything) or changes the ledger and returns the
/// entry; from that moment until the entry is stored the state is marked *stale*. If storing
/// throws, the record's savepoint rolls back and the state stays stale, so the next access
/// rebuilds it from the journal as the transaction then sees it (and `restore` rebuilds it after
/// a batch that did not commit). Refusals never happen after a change.
///
/// The holdings rows an entry changes are written back once per batch (`UnsavedHoldings`,
/// `writeDeferred`).
final class LedgerEngine: Sendable {
    struct State: Sendable {
        var ledger = HoldingsLedger()
        var suspended: Set<String> = []
        /// False until loaded, and while a change is not yet stored.
        var current = false
        /// The holdings rows the transaction's stored entries changed, not yet written.
        let unsaved: UnsavedHoldings
        /// The sequence of the snapshot the store holds and the ledger was rebuilt from (0 when
        /// none was, or it was passed over): how far the journal has run past it.
        var snapshotSequence = 0

        /// Stores the ledger's snapshot (the state is stale until it is stored).
        mutating func storeSnapshot(_ db: Database, at now: Timestamp) throws {
            let snapshot = ledger.snapshot()
            try storing(nil) { try LedgerSnapshotTable.store(db, snapshot, atMilliseconds: now.millisecondsSinceEpoch) }
            // Ahead of the commit: a rolled-back batch makes the runtime reload, which resets it.
            snapshotSequence = ledger.lastSequence
        }

        /// Runs `store`, which writes what the ledger just changed; the state is stale until it
        /// returns. `entry` is the journal entry `store` writes, if any: its holdings are written
        /// with the batch.
        mutating func storing(_ entry: JournalEntry?, _ store: () throws -> Void) rethrows {
            current = false
            try store()
            if let entry { unsaved.note(entry) }
            current = true
        }

        /// Writes the holdings rows changed so far, as the ledger has them now.
        func writeHoldings(_ db: Database) throws {
            try unsaved.write(db, ledger: ledger)
        }
    }

    private let unsaved = UnsavedHoldings()
    private let state: Mutex<State>
    /// Store the snapshot at a batch's end once the journal has run this many entries past the
    /// stored one (0: only as trading days start).
    private let snapshotEveryEntries: Int
    private let restored = Mutex<RestoreReport?>(nil)

    /// How `reload` last rebuilt the ledger (at start, or after a rolled-back batch), if it did.
    var lastRestore: RestoreReport? { restored.withLock { $0 } }

    init(snapshotEveryEntries: Int = 0) {
        state = Mutex(State(unsaved: unsaved))
        self.snapshotEveryEntries = max(0, snapshotEveryEntries)
    }

    /// Runs `body` on the state, loading it from `db` first when it is not current.
    func with<T: Sendable>(_ db: Database, _ body: (inout State) throws -> T) throws -> T {
        try state.withLock { (state: inout State) throws -> T in
            if !state.current {
                // Inside a batch: the holdings rows may still wait for `writeDeferred`. The report
                // stays the last restore's (why a restart took long is what an operator asks).
                state = try Self.load(db, unsaved: unsaved, checkingHoldings: false).0
            }
            return try body(&state)
        }
    }

    /// Rebuilds the state from `db` now (start-up, and after a batch was rolled back): what was
    /// not written back belonged to the rolled-back transaction.
    func reload(_ db: Database) throws {
        unsaved.discard()
        let (loaded, report) = try Self.load(db, unsaved: unsaved, checkingHoldings: true)
        state.withLock { $0 = loaded }
        restored.withLock { $0 = report }
    }

    /// Writes back the holdings rows the open transaction's entries changed, and the ledger
    /// snapshot when the journal has run `snapshotEveryEntries` past the stored one.
    func writeDeferred(_ db: Database) throws {
        let every = snapshotEveryEntries
        try with(db) { state in
            try state.writeHoldings(db)
            if every > 0, state.ledger.lastSequence - state.snapshotSequence >= every {
                try state.storeSnapshot(db, at: .now())
            }
        }
    }

    /// Marks the state stale so the next access reloads it.
    func invalidate() {
        state.withLock { $0.current = false }
    }

    /// The state the stored snapshot, the journal after it and the entities rebuild; the whole
    /// journal when no snapshot is stored or the stored one cannot be used (it does not decode,
    /// its parts disagree, the journal ends before it or after it does not replay, or, with
    /// `checkingHoldings`, the result differs from the stored holdings rows), which the report names.
    private static func load(_ db: Database, unsaved: UnsavedHoldings, checkingHoldings: Bool) throws
        -> (State, RestoreReport) {
        let started = ContinuousClock.now
        let statuses = try EntityRecords.statuses(db)
        let suspended = Set(statuses.filter { $0.status != EntityStatus.active }.map(\.id))
        let day = try JournalStore.tradingDay(db)
        let (rebuilt, refused) = try RestoreReport.attempt { () throws -> (State, RestoreReport)? in
            guard let snapshot = try LedgerSnapshotTable.load(db, as: HoldingsLedgerSnapshot.self) else { return nil }
            let last = try JournalStore.lastSequence(db)
            guard last >= snapshot.sequence else {
                throw UnusableLedgerSnapshot("the journal ends at entry \(last), before the snapshot's \(snapshot.sequence)")
            }
            let ledger = try HoldingsLedger(owners: statuses.map(\.id), tradingDay: day, restoring: snapshot,
                                            replaying: try JournalStore.entries(db, after: snapshot.sequence))
            if checkingHoldings, try JournalStore.storedHoldings(db) != JournalStore.holdings(of: ledger) {
                throw UnusableLedgerSnapshot("the snapshot and the journal after it give other holdings than the stored rows")
            }
            let report = RestoreReport(source: .snapshot, snapshotSequence: Int64(snapshot.sequence),
                                       entriesReplayed: Int64(ledger.lastSequence - snapshot.sequence), since: started,
                                       snapshotRefused: nil)
            return (State(ledger: ledger, suspended: suspended, current: true, unsaved: unsaved,
                          snapshotSequence: snapshot.sequence), report)
        }
        if let rebuilt { return rebuilt }
        let ledger: HoldingsLedger
        do {
            ledger = try HoldingsLedger(owners: statuses.map(\.id), tradingDay: day, replaying: try JournalStore.entries(db))
        } catch let refusal as RegistryRefusal {
            throw StoredDataError("the journal cannot be replayed: \(refusal)")
        }
        let report = RestoreReport(source: .journal, snapshotSequence: nil, entriesReplayed: Int64(ledger.lastSequence),
                                   since: started, snapshotRefused: refused)
        return (State(ledger: ledger, suspended: suspended, current: true, unsaved: unsaved), report)
    }
}
