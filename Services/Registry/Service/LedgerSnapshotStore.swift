import Contract
import Foundation
import GRDB
import RegistryDomain
import Store

/// The registry's `HoldingsLedgerSnapshot` in the `ledger_snapshot` row (`LedgerSnapshotTable`),
/// replaced whenever a new trading day starts, in the batch's transaction.
enum LedgerSnapshotStore {
    /// Replaces the stored snapshot with `snapshot`.
    static func store(_ db: Database, _ snapshot: HoldingsLedgerSnapshot, at now: Timestamp) throws {
        try LedgerSnapshotTable.store(db, format: snapshot.format, sequence: Int64(snapshot.sequence),
                                      tradingDay: snapshot.tradingDay?.description, bytes: snapshot.encoded(),
                                      atMilliseconds: now.millisecondsSinceEpoch)
    }

    /// The stored snapshot, if a trading day started since the table exists.
    /// - Throws: `StoredDataError` when its bytes do not decode or disagree with its row.
    static func load(_ db: Database) throws -> HoldingsLedgerSnapshot? {
        guard let stored = try LedgerSnapshotTable.load(db) else { return nil }
        let snapshot: HoldingsLedgerSnapshot
        do {
            snapshot = try HoldingsLedgerSnapshot(decoding: stored.bytes)
        } catch {
            throw StoredDataError("the ledger snapshot does not decode: \(error)")
        }
        guard Int64(snapshot.sequence) == stored.sequence, snapshot.format == stored.format,
              snapshot.tradingDay?.description == stored.tradingDay else {
            throw StoredDataError("the ledger snapshot's bytes (sequence \(snapshot.sequence)) disagree with its row "
                + "(sequence \(stored.sequence))")
        }
        return snapshot
    }
}
