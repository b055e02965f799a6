import Foundation
import GRDB

/// A record waiting in (or already sent from) the outbox, in the order it was written.
public struct OutboxMessage: Sendable, Equatable {
    public var seq: Int64
    /// What the message carries, behind one reference: a message is copied four or five times
    /// between the loop's encode and the publisher (staged, committed, taken), and a copy is
    /// now one reference count instead of five.
    private let content: Content

    public var eventId: String { content.eventId }
    public var topic: String { content.topic }
    public var key: Data? { content.key }
    public var value: Data { content.value }
    public var eventType: String { content.eventType }
    public var version: Int { content.version }
    public var createdAt: Int64 { content.createdAt }

    public init(seq: Int64 = 0, eventId: String, topic: String, key: Data?, value: Data, eventType: String,
                version: Int, createdAt: Int64) {
        self.seq = seq
        content = Content(eventId: eventId, topic: topic, key: key, value: value, eventType: eventType,
                          version: version, createdAt: createdAt)
    }

    public static func == (lhs: OutboxMessage, rhs: OutboxMessage) -> Bool {
        lhs.seq == rhs.seq && (lhs.content === rhs.content || lhs.content.sameValues(as: rhs.content))
    }

    private final class Content: Sendable {
        let eventId: String
        let topic: String
        let key: Data?
        let value: Data
        let eventType: String
        let version: Int
        let createdAt: Int64

        init(eventId: String, topic: String, key: Data?, value: Data, eventType: String, version: Int, createdAt: Int64) {
            self.eventId = eventId; self.topic = topic; self.key = key; self.value = value
            self.eventType = eventType; self.version = version; self.createdAt = createdAt
        }

        func sameValues(as other: Content) -> Bool {
            eventId == other.eventId && topic == other.topic && key == other.key && value == other.value
                && eventType == other.eventType && version == other.version && createdAt == other.createdAt
        }
    }
}

/// Events written in the same transaction as the state change that caused them, published
/// afterwards in `seq` order.
///
/// The table is append-only: no index on the (random) event ids, which made every batch
/// rewrite pages all over a growing B-tree, and no per-row "published" flag, which rewrote every
/// row once more after its delivery. A copy of an id already there is recognised by an
/// in-memory mirror (`KnownIDs`), and publishing progress is one row per acknowledged chunk in
/// `outbox_published`: every row with `seq` up to its `throughSeq` is published.
public final class Outbox: Sendable {
    let known: KnownIDs
    private let committed: CommittedOutbox

    init(_ db: Database) throws {
        known = try KnownIDs(db, table: "outbox", column: "eventId")
        // AUTOINCREMENT never reuses a seq, even of pruned rows; neither does the explicit seq
        // given here, which continues from the same point.
        let lastSeq = try Int64.fetchOne(db, sql: """
            SELECT MAX(seq) FROM (SELECT seq FROM sqlite_sequence WHERE name = 'outbox'
                                  UNION ALL SELECT MAX(seq) FROM outbox)
            """) ?? 0
        committed = CommittedOutbox(lastSeq: lastSeq)
    }

    /// Ends the open transaction's ids and messages (`EventStore.write`).
    func settle(committed didCommit: Bool) {
        known.settle(committed: didCommit)
        committed.settle(committed: didCommit)
    }

    /// The highest `seq` committed so far (0 for a new store).
    public var lastCommittedSeq: Int64 { committed.lastCommitted }

    /// Up to `limit` committed messages right after `seq`, from memory: what this process
    /// committed recently, so the publisher need not read it back. Empty when nothing was
    /// committed after `seq`; nil when memory cannot answer exactly (read `pending` instead).
    public func committedMessages(after seq: Int64, limit: Int) -> [OutboxMessage]? {
        committed.take(after: seq, limit: limit)
    }

    /// How many event ids the outbox holds (published or not, until pruned).
    public var count: Int { known.count }

    /// Appends `message`. Returns false when an event with the same id is already there (a batch
    /// processed twice derives the same ids; the copy is dropped here rather than downstream).
    @discardableResult
    public func append(_ db: Database, _ message: OutboxMessage) throws -> Bool {
        guard known.insert(message.eventId) else { return false }
        let message = committed.stage(message)
        let statement = try db.cachedStatement(sql: Self.singleRowSQL)
        try statement.run { Self.bind(message, to: &$0) }
        return true
    }

    /// Appends `messages` in order, as `append` would one by one (a message whose id is already
    /// there is dropped), with one multi-row statement per 32 messages: per-statement work
    /// (binding, stepping, resetting) was a visible part of writing a batch's outbox.
    public func appendAll(_ db: Database, _ messages: [OutboxMessage]) throws {
        let isNew = known.insert(messages.map(\.eventId))
        let fresh = committed.stage(isNew.allSatisfy { $0 } ? messages : zip(messages, isNew).compactMap { $1 ? $0 : nil })
        var start = fresh.startIndex
        while fresh.endIndex - start >= Self.multiRowCount {
            let rows = fresh[start..<(start + Self.multiRowCount)]
            try db.cachedStatement(sql: Self.multiRowSQL).run { binder in
                for message in rows { Self.bind(message, to: &binder) }
            }
            start += Self.multiRowCount
        }
        let single = try db.cachedStatement(sql: Self.singleRowSQL)
        for message in fresh[start...] {
            try single.run { Self.bind(message, to: &$0) }
        }
    }

    /// The eight values of an insert, in the column order of the statements above. The `seq` is
    /// given, not left to AUTOINCREMENT, so that the message handed over in memory
    /// (`committedMessages`) carries it without a read back.
    private static func bind(_ message: OutboxMessage, to binder: inout DirectBinder) {
        binder.bind(message.seq); binder.bind(message.eventId); binder.bind(message.topic); binder.bind(message.key); binder.bind(message.value)
        binder.bind(message.eventType); binder.bind(message.version); binder.bind(message.createdAt)
    }

    private static let singleRowSQL = """
        INSERT INTO outbox (seq, eventId, topic, key, value, eventType, version, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
    private static let multiRowCount = 32
    private static let multiRowSQL = """
        INSERT INTO outbox (seq, eventId, topic, key, value, eventType, version, createdAt) VALUES
        """ + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: multiRowCount).joined(separator: ", ")

    /// Records that every message with `seq` up to `seq` was acknowledged at `millis`. The
    /// publisher sends in `seq` order, so progress is a single position; a position at or behind
    /// the current one changes nothing.
    ///
    /// Progress within a minute of the last recorded step moves that step on instead of adding
    /// one, so a quiet service that publishes every event on its own keeps one row a minute,
    /// not one an event (the step keeps its earlier time: pruning, a day later, is at most a
    /// minute early).
    public func markPublished(_ db: Database, through seq: Int64, at millis: Int64) throws {
        let last = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT throughSeq, publishedAt FROM outbox_published ORDER BY throughSeq DESC LIMIT 1
            """))
        let lastSeq: Int64 = last?[0] ?? 0, lastAt: Int64 = last?[1] ?? Int64.min
        guard seq > lastSeq else { return }
        if last != nil, millis >= lastAt, millis - lastAt < 60_000 {
            try db.cachedStatement(sql: "UPDATE outbox_published SET throughSeq = ? WHERE throughSeq = ?")
                .run { $0.bind(seq); $0.bind(lastSeq) }
        } else {
            try db.cachedStatement(sql: "INSERT INTO outbox_published (throughSeq, publishedAt) VALUES (?, ?)")
                .run { $0.bind(seq); $0.bind(millis) }
        }
    }

    /// Deletes messages published before `millis`; unpublished ones are never deleted.
    public func prune(_ db: Database, publishedBefore millis: Int64) throws -> Int {
        guard let through = try Int64.fetchOne(db, sql: """
            SELECT MAX(throughSeq) FROM outbox_published WHERE publishedAt < ?
            """, arguments: [millis]) else { return 0 }
        let removed = try String.fetchAll(db, sql: "DELETE FROM outbox WHERE seq <= ? RETURNING eventId",
                                          arguments: [through])
        try db.execute(sql: "DELETE FROM outbox_published WHERE throughSeq < ?", arguments: [through])
        known.forget(removed)
        return removed.count
    }

    /// The `seq` up to which every message is published (0 before the first).
    public static func publishedThrough(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(throughSeq) FROM outbox_published")) ?? 0
    }

    /// The oldest unpublished messages, at most `limit`, in `seq` order.
    public static func pending(_ db: Database, limit: Int) throws -> [OutboxMessage] {
        try pending(db, after: try publishedThrough(db), limit: limit)
    }

    /// At most `limit` messages after `seq`, in `seq` order.
    public static func pending(_ db: Database, after seq: Int64, limit: Int) throws -> [OutboxMessage] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT seq, eventId, topic, key, value, eventType, version, createdAt FROM outbox
            WHERE seq > ? ORDER BY seq LIMIT ?
            """, arguments: [seq, limit])
        // By position, not by name: GRDB lower-cases a column name on every lookup by name,
        // which was the publisher's top Swift cost at eight columns per row.
        return rows.map { row in
            OutboxMessage(seq: row[0], eventId: row[1], topic: row[2], key: row[3], value: row[4], eventType: row[5],
                          version: row[6], createdAt: row[7])
        }
    }

    public static func pendingCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE seq > ?", arguments: [try publishedThrough(db)]) ?? 0
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
