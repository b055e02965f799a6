import GRDB

/// The stored offsets an operator moved (`ecoctl offsets set --yes`), and those the service moved
/// itself past records missing from the broker, kept in the service's own file: moving an offset
/// skips records or reads them again, so who did it, when, from where to where and why must
/// outlive the terminal it was typed in (or the log line it was reported on).
public enum OffsetMoves {
    /// One moved partition.
    public struct Move: Equatable, Sendable {
        public var movedAt: Int64
        public var partition: TopicPartition
        public var from: Int64?
        public var to: Int64
        public var movedBy: String
        public var reason: String?

        public init(movedAt: Int64, partition: TopicPartition, from: Int64?, to: Int64, movedBy: String, reason: String?) {
            self.movedAt = movedAt
            self.partition = partition
            self.from = from
            self.to = to
            self.movedBy = movedBy
            self.reason = reason
        }
    }

    /// Creates the table if the store lacks it: the runtime's migration does at a service's
    /// start, and `ecoctl` for a store that a service of an earlier version wrote last.
    public static func createTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS offset_moves (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                movedAt INTEGER NOT NULL,
                topic TEXT NOT NULL,
                partition INTEGER NOT NULL,
                fromOffset INTEGER,
                toOffset INTEGER NOT NULL,
                movedBy TEXT NOT NULL,
                reason TEXT
            )
            """)
    }

    /// Who a service's own skip of offsets missing from the broker is recorded as (the runtime
    /// gives up on a gap that several fetches in a row showed again).
    public static func automatic(_ service: String) -> String { "\(service) (automatic)" }

    /// The skips `service` made itself, oldest first; none when the table is missing.
    public static func automaticSkips(_ db: Database, service: String) throws -> [Move] {
        guard try db.tableExists("offset_moves") else { return [] }
        return try Row.fetchAll(db, sql: "\(selectMoves) WHERE movedBy = ? ORDER BY seq", arguments: [automatic(service)]).map(move)
    }

    /// Records `move`, in the transaction that stores its offset.
    public static func record(_ db: Database, _ move: Move) throws {
        try db.execute(sql: """
            INSERT INTO offset_moves (movedAt, topic, partition, fromOffset, toOffset, movedBy, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [move.movedAt, move.partition.topic, move.partition.partition, move.from, move.to,
                             move.movedBy, move.reason])
    }

    /// The latest moves, newest first; none when the table is missing.
    public static func recent(_ db: Database, limit: Int = 10) throws -> [Move] {
        guard try db.tableExists("offset_moves") else { return [] }
        return try Row.fetchAll(db, sql: "\(selectMoves) ORDER BY seq DESC LIMIT ?", arguments: [limit]).map(move)
    }

    /// The columns `move` reads, for the queries above.
    private static let selectMoves = "SELECT movedAt, topic, partition, fromOffset, toOffset, movedBy, reason FROM offset_moves"

    private static func move(_ row: Row) -> Move {
        Move(movedAt: row["movedAt"], partition: TopicPartition(topic: row["topic"], partition: row["partition"]),
             from: row["fromOffset"], to: row["toOffset"], movedBy: row["movedBy"], reason: row["reason"])
    }
}
