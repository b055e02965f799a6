import Foundation
import GRDB

/// The `ledger_snapshot` table: one row holding a service's newest snapshot of the ledger it
/// keeps in memory, replaced in the batch's transaction so it never runs ahead of the journal
/// it was taken from. What the bytes hold is the service's own (settlement's funds ledger, the
/// registry's holdings ledger); a restart reads them and replays only the journal after them.
public enum LedgerSnapshotTable {
    /// The stored row, bytes still encoded.
    public struct Stored: Sendable {
        public var format: Int
        public var sequence: Int64
        public var tradingDay: String?
        public var storedAtMilliseconds: Int64
        public var bytes: [UInt8]
    }

    /// The row without its bytes, for read sides.
    public struct Summary: Sendable {
        public var format: Int
        public var sequence: Int64
        public var tradingDay: String?
        public var storedAtMilliseconds: Int64
        public var bytes: Int
    }

    /// Creates the table (from a service's migration).
    public static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ledger_snapshot (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                format INTEGER NOT NULL,
                sequence INTEGER NOT NULL CHECK (sequence >= 0),
                tradingDay TEXT,
                storedAt INTEGER NOT NULL,
                bytes BLOB NOT NULL
            )
            """)
    }

    /// Replaces the stored snapshot.
    public static func store(_ db: Database, format: Int, sequence: Int64, tradingDay: String?, bytes: [UInt8],
                             atMilliseconds storedAt: Int64) throws {
        try db.execute(sql: """
            INSERT INTO ledger_snapshot (id, format, sequence, tradingDay, storedAt, bytes) VALUES (1, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET format = excluded.format, sequence = excluded.sequence,
                tradingDay = excluded.tradingDay, storedAt = excluded.storedAt, bytes = excluded.bytes
            """, arguments: [format, sequence, tradingDay, storedAt, Data(bytes)])
    }

    /// The stored snapshot, if one was stored since the table exists.
    public static func load(_ db: Database) throws -> Stored? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT format, sequence, tradingDay, storedAt, bytes FROM ledger_snapshot WHERE id = 1
            """) else { return nil }
        let bytes: Data = row[4]
        return Stored(format: row[0], sequence: row[1], tradingDay: row[2], storedAtMilliseconds: row[3], bytes: [UInt8](bytes))
    }

    /// The stored row without its bytes.
    public static func summary(_ db: Database) throws -> Summary? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT format, sequence, tradingDay, storedAt, length(bytes) FROM ledger_snapshot WHERE id = 1
            """) else { return nil }
        return Summary(format: row[0], sequence: row[1], tradingDay: row[2], storedAtMilliseconds: row[3], bytes: row[4])
    }
}
