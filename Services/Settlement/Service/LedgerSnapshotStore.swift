import Contract
import Foundation
import GRDB
import SettlementDomain

/// The stored `LedgerSnapshot`: one row, replaced at each day's close in the batch's
/// transaction, so it never runs ahead of the journal it was taken from.
enum LedgerSnapshotStore {
    /// The stored row, with the snapshot still encoded.
    struct Stored: Sendable {
        var format: Int
        var sequence: Int64
        var tradingDay: String?
        var storedAt: Int64
        var bytes: Data

        /// The snapshot the bytes hold.
        /// - Throws: `StoreCorruption` when they do not decode or disagree with the row.
        func decoded() throws -> LedgerSnapshot {
            guard format == LedgerSnapshot.currentFormat else {
                throw StoreCorruption("the ledger snapshot has format \(format), this code reads \(LedgerSnapshot.currentFormat)")
            }
            let snapshot: LedgerSnapshot
            do {
                snapshot = try LedgerSnapshot(decoding: [UInt8](bytes))
            } catch {
                throw StoreCorruption("the ledger snapshot does not decode: \(error)")
            }
            guard snapshot.sequence == sequence, snapshot.format == format, snapshot.tradingDay?.rawValue == tradingDay else {
                throw StoreCorruption("the ledger snapshot's bytes (sequence \(snapshot.sequence)) disagree with its row "
                    + "(sequence \(sequence))")
            }
            return snapshot
        }
    }

    /// What the read side shows of the stored snapshot, without its bytes.
    struct Summary: Encodable, Sendable {
        var format: Int
        var sequence: Int64
        var tradingDay: String?
        var storedAt: Timestamp
        var bytes: Int
    }

    /// Replaces the stored snapshot with `snapshot`.
    static func store(_ db: Database, _ snapshot: LedgerSnapshot, at now: Timestamp) throws {
        let bytes = Data(snapshot.encoded())
        try db.execute(sql: """
            INSERT INTO ledger_snapshot (id, format, sequence, tradingDay, storedAt, bytes) VALUES (1, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET format = excluded.format, sequence = excluded.sequence,
                tradingDay = excluded.tradingDay, storedAt = excluded.storedAt, bytes = excluded.bytes
            """, arguments: [snapshot.format, snapshot.sequence, snapshot.tradingDay?.rawValue, now.millisecondsSinceEpoch,
                             bytes])
    }

    /// The stored snapshot, if a day was closed since the table exists.
    static func load(_ db: Database) throws -> Stored? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT format, sequence, tradingDay, storedAt, bytes FROM ledger_snapshot WHERE id = 1
            """) else { return nil }
        return Stored(format: row[0], sequence: row[1], tradingDay: row[2], storedAt: row[3], bytes: row[4])
    }

    /// The stored snapshot's row without its bytes.
    static func summary(_ db: Database) throws -> Summary? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT format, sequence, tradingDay, storedAt, length(bytes) FROM ledger_snapshot WHERE id = 1
            """) else { return nil }
        return Summary(format: row[0], sequence: row[1], tradingDay: row[2],
                       storedAt: Timestamp(millisecondsSinceEpoch: row[3]), bytes: row[4])
    }
}
