import Foundation
import GRDB

/// The `ledger_snapshot` table: one row holding a service's newest snapshot of the ledger it
/// keeps in memory, replaced in the batch's transaction so it never runs ahead of the journal
/// it was taken from. What the bytes hold is the service's own (settlement's funds ledger, the
/// registry's holdings ledger); a restart reads them and replays only the journal after them.
public enum LedgerSnapshotTable {
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

    /// Replaces the stored snapshot with `snapshot`.
    public static func store(_ db: Database, _ snapshot: some StorableLedgerSnapshot, atMilliseconds storedAt: Int64) throws {
        try db.execute(sql: """
            INSERT INTO ledger_snapshot (id, format, sequence, tradingDay, storedAt, bytes) VALUES (1, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET format = excluded.format, sequence = excluded.sequence,
                tradingDay = excluded.tradingDay, storedAt = excluded.storedAt, bytes = excluded.bytes
            """, arguments: [snapshot.format, snapshot.storedSequence, snapshot.storedTradingDay, storedAt,
                             Data(snapshot.encoded())])
    }

    /// The stored snapshot, if one was stored since the table exists.
    /// - Throws: `UnusableLedgerSnapshot` when its bytes do not decode or disagree with its row;
    ///   GRDB errors when the row cannot be read.
    public static func load<Snapshot: StorableLedgerSnapshot>(_ db: Database, as _: Snapshot.Type) throws -> Snapshot? {
        let found: Row?
        do {
            found = try Row.fetchOne(db, sql: "SELECT format, sequence, tradingDay, bytes FROM ledger_snapshot WHERE id = 1")
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_TOOBIG].contains(error.resultCode.primaryResultCode) {
            // The row's own pages cannot be read as they are: every retry would meet the same
            // bytes, while the journal, on other pages, may still replay. Any other read error
            // (and one from any other table) reaches the caller, who retries.
            throw UnusableLedgerSnapshot("the store could not read the snapshot's row: \(error)")
        }
        guard let row = found else { return nil }
        let format: Int = row[0], sequence: Int64 = row[1], tradingDay: String? = row[2], bytes: Data = row[3]
        let snapshot: Snapshot
        do {
            snapshot = try Snapshot(decoding: [UInt8](bytes))
        } catch {
            throw UnusableLedgerSnapshot("the ledger snapshot does not decode: \(error)")
        }
        guard snapshot.storedSequence == sequence, snapshot.format == format, snapshot.storedTradingDay == tradingDay else {
            throw UnusableLedgerSnapshot("the ledger snapshot's bytes (sequence \(snapshot.storedSequence)) disagree with its "
                + "row (sequence \(sequence))")
        }
        return snapshot
    }

    /// The stored row without its bytes.
    public static func summary(_ db: Database) throws -> Summary? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT format, sequence, tradingDay, storedAt, length(bytes) FROM ledger_snapshot WHERE id = 1
            """) else { return nil }
        return Summary(format: row[0], sequence: row[1], tradingDay: row[2], storedAtMilliseconds: row[3], bytes: row[4])
    }
}

/// A service's ledger snapshot as `LedgerSnapshotTable` stores it (the domain types conform in
/// their services, so the domains stay free of the store).
public protocol StorableLedgerSnapshot {
    var format: Int { get }
    /// The sequence of the last journal entry the snapshot includes.
    var storedSequence: Int64 { get }
    /// The trading day the snapshot is of, as the row shows it.
    var storedTradingDay: String? { get }
    func encoded() -> [UInt8]
    init(decoding bytes: [UInt8]) throws
}

/// A stored snapshot that cannot be used; the service replays its whole journal instead.
public struct UnusableLedgerSnapshot: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
