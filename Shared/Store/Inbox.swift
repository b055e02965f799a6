import GRDB

/// The ids of the events a service has applied, so that a redelivered copy is skipped.
///
/// The table is a log in the order events were applied, with no index on the id: the ids are
/// random, and an index on them made every batch rewrite pages all over a growing B-tree.
/// Membership is answered by an in-memory mirror of the table (`KnownIDs`), loaded when the
/// store opens. Rows older than the retention are pruned (`prune`); a copy that arrives after
/// that is recognised by the business keys of the domain instead (order ids, trade ids, ...).
public final class Inbox: Sendable {
    let known: KnownIDs

    init(_ db: Database) throws {
        known = try KnownIDs(db, table: "inbox", column: "eventId")
    }

    /// Records `eventId` as applied in `db`'s transaction. Returns false when it was already
    /// there: a duplicate. Rolled back with the transaction like any other write, as long as it is
    /// made inside `EventStore.write`.
    public func claim(_ db: Database, eventId: String, topic: String, partition: Int32, offset: Int64,
                      at millis: Int64) throws -> Bool {
        guard known.insert(eventId) else { return false }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO inbox (eventId, topic, partition, offset, processedAt) VALUES (?, ?, ?, ?, ?)
            """)
        try statement.run {
            $0.bind(eventId); $0.bind(topic); $0.bind(partition); $0.bind(offset); $0.bind(millis)
        }
        return true
    }

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
