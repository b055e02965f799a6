import GRDB

/// The ids of every event a service has applied, so that a redelivered copy is skipped.
public enum Inbox {
    /// Records `eventId` as applied. Returns false when it was already there: a duplicate.
    public static func claim(_ db: Database, eventId: String, topic: String, partition: Int32, offset: Int64,
                             at millis: Int64) throws -> Bool {
        let statement = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO inbox (eventId, topic, partition, offset, processedAt) VALUES (?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [eventId, topic, partition, offset, millis])
        return db.changesCount > 0
    }

    public static func contains(_ db: Database, eventId: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM inbox WHERE eventId = ?", arguments: [eventId]) ?? false
    }

    public static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox") ?? 0
    }
}
