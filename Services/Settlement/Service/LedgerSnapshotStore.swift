import Contract
import Foundation
import GRDB
import SettlementDomain
import Store

/// Settlement's `LedgerSnapshot` in the `ledger_snapshot` row (`LedgerSnapshotTable`), replaced
/// at each day's close in the batch's transaction.
enum LedgerSnapshotStore {
    /// Replaces the stored snapshot with `snapshot`.
    static func store(_ db: Database, _ snapshot: LedgerSnapshot, at now: Timestamp) throws {
        try LedgerSnapshotTable.store(db, format: snapshot.format, sequence: snapshot.sequence,
                                      tradingDay: snapshot.tradingDay?.rawValue, bytes: snapshot.encoded(),
                                      atMilliseconds: now.millisecondsSinceEpoch)
    }

    /// The stored snapshot, if a day was closed since the table exists.
    /// - Throws: `StoreCorruption` when its bytes do not decode or disagree with its row.
    static func load(_ db: Database) throws -> LedgerSnapshot? {
        guard let stored = try LedgerSnapshotTable.load(db) else { return nil }
        let snapshot: LedgerSnapshot
        do {
            snapshot = try LedgerSnapshot(decoding: stored.bytes)
        } catch {
            throw StoreCorruption("the ledger snapshot does not decode: \(error)")
        }
        guard snapshot.sequence == stored.sequence, snapshot.format == stored.format,
              snapshot.tradingDay?.rawValue == stored.tradingDay else {
            throw StoreCorruption("the ledger snapshot's bytes (sequence \(snapshot.sequence)) disagree with its row "
                + "(sequence \(stored.sequence))")
        }
        return snapshot
    }
}
