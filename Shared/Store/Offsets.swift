import GRDB

/// A topic partition, the unit of assignment and of stored offsets.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        (a.topic, a.partition) < (b.topic, b.partition)
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// The next offset to consume per partition, committed with the state it produced. On start the
/// service seeks here, not to the broker's committed offsets.
public enum Offsets {
    public static func load(_ db: Database) throws -> [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT topic, partition, nextOffset FROM offsets") {
            result[TopicPartition(topic: row["topic"], partition: row["partition"])] = row["nextOffset"]
        }
        return result
    }

    public static func store(_ db: Database, _ partition: TopicPartition, next offset: Int64) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO offsets (topic, partition, nextOffset) VALUES (?, ?, ?)
            ON CONFLICT (topic, partition) DO UPDATE SET nextOffset = excluded.nextOffset
            """)
        try statement.execute(arguments: [partition.topic, partition.partition, offset])
    }
}
