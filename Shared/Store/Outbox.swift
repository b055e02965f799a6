import Foundation
import GRDB

/// A record waiting in (or already sent from) the outbox, in the order it was written.
public struct OutboxMessage: Sendable, Equatable {
    public var seq: Int64
    public var eventId: String
    public var topic: String
    public var key: Data?
    public var value: Data
    public var eventType: String
    public var version: Int
    public var createdAt: Int64

    public init(seq: Int64 = 0, eventId: String, topic: String, key: Data?, value: Data, eventType: String,
                version: Int, createdAt: Int64) {
        self.seq = seq; self.eventId = eventId; self.topic = topic; self.key = key; self.value = value
        self.eventType = eventType; self.version = version; self.createdAt = createdAt
    }
}

/// Events written in the same transaction as the state change that caused them, published
/// afterwards in `seq` order and marked once the broker acknowledged them.
public enum Outbox {
    /// Appends `message`. Returns false when an event with the same id is already there (a batch
    /// processed twice derives the same ids; the copy is dropped here rather than downstream).
    @discardableResult
    public static func append(_ db: Database, _ message: OutboxMessage) throws -> Bool {
        let statement = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO outbox (eventId, topic, key, value, eventType, version, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [message.eventId, message.topic, message.key, message.value,
                                          message.eventType, message.version, message.createdAt])
        return db.changesCount > 0
    }

    /// Appends `messages` in order, as `append` would one by one (a message whose id is already
    /// there is dropped), with one multi-row statement per 32 messages: per-statement work
    /// (binding, stepping, resetting) was a visible part of writing a batch's outbox.
    public static func appendAll(_ db: Database, _ messages: [OutboxMessage]) throws {
        var start = messages.startIndex
        while messages.endIndex - start >= multiRowCount {
            let statement = try db.cachedStatement(sql: multiRowSQL)
            var values: [(any DatabaseValueConvertible)?] = []
            values.reserveCapacity(multiRowCount * 7)
            for message in messages[start..<(start + multiRowCount)] {
                values.append(contentsOf: [message.eventId, message.topic, message.key, message.value, message.eventType,
                                           message.version, message.createdAt] as [(any DatabaseValueConvertible)?])
            }
            try statement.execute(arguments: StatementArguments(values))
            start += multiRowCount
        }
        for message in messages[start...] { try append(db, message) }
    }

    private static let multiRowCount = 32
    private static let multiRowSQL = """
        INSERT OR IGNORE INTO outbox (eventId, topic, key, value, eventType, version, createdAt) VALUES
        """ + Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: multiRowCount).joined(separator: ", ")

    /// The oldest unpublished messages, at most `limit`, in `seq` order.
    public static func pending(_ db: Database, limit: Int) throws -> [OutboxMessage] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT seq, eventId, topic, key, value, eventType, version, createdAt FROM outbox
            WHERE publishedAt IS NULL ORDER BY seq LIMIT ?
            """, arguments: [limit])
        // By position, not by name: GRDB lower-cases a column name on every lookup by name,
        // which was the publisher's top Swift cost at eight columns per row.
        return rows.map { row in
            OutboxMessage(seq: row[0], eventId: row[1], topic: row[2], key: row[3], value: row[4], eventType: row[5],
                          version: row[6], createdAt: row[7])
        }
    }

    /// Marks every unpublished message with `seq` in `range` as published at `millis`.
    public static func markPublished(_ db: Database, seqs range: ClosedRange<Int64>, at millis: Int64) throws {
        try db.execute(sql: "UPDATE outbox SET publishedAt = ? WHERE seq BETWEEN ? AND ? AND publishedAt IS NULL",
                       arguments: [millis, range.lowerBound, range.upperBound])
    }

    public static func pendingCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE publishedAt IS NULL") ?? 0
    }

    /// Deletes published messages older than `millis`; unpublished ones are never deleted.
    public static func prune(_ db: Database, publishedBefore millis: Int64) throws -> Int {
        try db.execute(sql: "DELETE FROM outbox WHERE publishedAt IS NOT NULL AND publishedAt < ?", arguments: [millis])
        return db.changesCount
    }

    /// Every message ever written for `topic` (published or not), in order: for tests and audits.
    public static func all(_ db: Database, topic: String? = nil) throws -> [OutboxMessage] {
        let rows: [Row]
        if let topic {
            rows = try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE topic = ? ORDER BY seq", arguments: [topic])
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY seq")
        }
        return rows.map { row in
            OutboxMessage(seq: row["seq"], eventId: row["eventId"], topic: row["topic"], key: row["key"],
                          value: row["value"], eventType: row["eventType"], version: row["version"],
                          createdAt: row["createdAt"])
        }
    }
}
