import GRDB
import Synchronization

/// The ids of the events a service has applied, so that a redelivered copy is skipped.
///
/// The table is a log in the order events were applied, with no index on the id: the ids are
/// random, and an index on them made every batch rewrite pages all over a growing B-tree.
/// Membership is answered by an in-memory mirror of the table (`KnownIDs`), loaded when the
/// store opens. Rows older than the retention are pruned (`prune`); a copy that arrives after
/// that is recognised by the business keys of the domain instead (order ids, trade ids, ...).
public final class Inbox: Sendable {
    let known: KnownIDs
    /// Rows claimed in the open transaction, written at its end (`writeClaimed`).
    private let claimed = Mutex<[ClaimedRow]>([])

    init(_ db: Database) throws {
        known = try KnownIDs(db, table: "inbox", column: "eventId")
    }

    /// Records `eventId` as applied in `db`'s transaction. Returns false when it was already
    /// there: a duplicate. Rolled back with the transaction like any other write, as long as it is
    /// made inside `EventStore.write`, which writes the claimed rows just before it commits, 32
    /// to a statement (one statement per record was a tenth of the loop thread's time).
    public func claim(_ db: Database, eventId: String, topic: String, partition: Int32, offset: Int64,
                      at millis: Int64) throws -> Bool {
        guard known.insert(eventId) else { return false }
        claimed.withLock { $0.append(ClaimedRow(eventId: eventId, topic: topic, partition: partition, offset: offset, at: millis)) }
        return true
    }

    /// Writes the rows claimed in the open transaction, in claim order.
    func writeClaimed(_ db: Database) throws {
        let rows = claimed.withLock { rows in
            defer { rows.removeAll(keepingCapacity: rows.count <= 8192) }
            return rows
        }
        var start = rows.startIndex
        while rows.endIndex - start >= Self.multiRowCount {
            let slice = rows[start..<(start + Self.multiRowCount)]
            try db.cachedStatement(sql: Self.multiRowSQL).run { binder in
                for row in slice { row.bind(to: &binder) }
            }
            start += Self.multiRowCount
        }
        let single = try db.cachedStatement(sql: Self.singleRowSQL)
        for row in rows[start...] {
            try single.run { row.bind(to: &$0) }
        }
    }

    /// Ends the open transaction: its ids are kept or dropped, and rows it claimed but did not
    /// get to write (it failed first) are dropped.
    func settle(committed: Bool) {
        claimed.withLock { $0.removeAll(keepingCapacity: true) }
        known.settle(committed: committed)
    }

    private static let singleRowSQL = """
        INSERT INTO inbox (eventId, topic, partition, offset, processedAt) VALUES (?, ?, ?, ?, ?)
        """
    private static let multiRowCount = 32
    private static let multiRowSQL = """
        INSERT INTO inbox (eventId, topic, partition, offset, processedAt) VALUES
        """ + Array(repeating: "(?, ?, ?, ?, ?)", count: multiRowCount).joined(separator: ", ")

    /// How many applied ids are held (in memory and in the table).
    public var count: Int { known.count }

    /// Whether `eventId` was applied (and not yet pruned).
    public func contains(eventId: String) -> Bool { known.contains(eventId) }

    /// Deletes the oldest rows, up to the first one applied at or after `millis` and at most
    /// `limit` of them (a first prune of a large backlog must not hold the writer for long; the
    /// rest goes on the next call), and forgets their ids. The log is in applied order, so this
    /// reads only the rows it deletes.
    public func prune(_ db: Database, processedBefore millis: Int64, limit: Int = 50_000) throws -> Int {
        let firstKept = try Int64.fetchOne(db, sql: "SELECT seq FROM inbox WHERE processedAt >= ? ORDER BY seq LIMIT 1",
                                           arguments: [millis])
        let oldest = try Int64.fetchOne(db, sql: "SELECT MIN(seq) FROM inbox") ?? 0
        let cut = min(firstKept ?? Int64.max, oldest + Int64(limit))
        let removed = try String.fetchAll(db, sql: "DELETE FROM inbox WHERE seq < ? RETURNING eventId",
                                          arguments: [cut])
        known.forget(removed)
        return removed.count
    }

    /// Whether the table holds `eventId` (a scan: for tests and audits, not the loop).
    public static func contains(_ db: Database, eventId: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM inbox WHERE eventId = ?", arguments: [eventId]) ?? false
    }

    public static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox") ?? 0
    }
}

/// An inbox row waiting for the end of its transaction.
private struct ClaimedRow {
    let eventId: String
    let topic: String
    let partition: Int32
    let offset: Int64
    let at: Int64

    func bind(to binder: inout DirectBinder) {
        binder.bind(eventId); binder.bind(topic); binder.bind(partition); binder.bind(offset); binder.bind(at)
    }
}
