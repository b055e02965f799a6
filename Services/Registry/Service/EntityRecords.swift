import Contract
import Foundation
import GRDB

/// The registry's tables: the current record of each entity and every version it had.
enum RegistrySchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("registry-entities-v1") { db in
            try db.execute(sql: """
                CREATE TABLE entities (
                    entityId TEXT PRIMARY KEY NOT NULL,
                    profile BLOB NOT NULL,
                    status TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    registeredAt INTEGER NOT NULL,
                    updatedAt INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE entity_history (
                    entityId TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    change TEXT NOT NULL,
                    profile BLOB NOT NULL,
                    changedAt INTEGER NOT NULL,
                    causationId TEXT NOT NULL,
                    PRIMARY KEY (entityId, version)
                ) WITHOUT ROWID;
                """)
        }
    }
}

/// An entity as the registry holds it.
public struct EntityRecord: Codable, Sendable, Equatable {
    public var profile: EntityProfile
    public var status: String
    public var version: Int
    public var registeredAt: Timestamp
    public var updatedAt: Timestamp
}

enum EntityRecords {
    static func find(_ db: Database, id: String) throws -> EntityRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM entities WHERE entityId = ?", arguments: [id]) else {
            return nil
        }
        return try record(from: row)
    }

    static func insert(_ db: Database, profile: EntityProfile, at now: Timestamp, cause: UUID) throws {
        let json = try canonicalJSON(profile)
        try db.execute(sql: """
            INSERT INTO entities (entityId, profile, status, version, registeredAt, updatedAt) VALUES (?, ?, 'active', 1, ?, ?)
            """, arguments: [profile.entityId, json, now.millisecondsSinceEpoch, now.millisecondsSinceEpoch])
        try db.execute(sql: """
            INSERT INTO entity_history (entityId, version, change, profile, changedAt, causationId) VALUES (?, 1, 'registered', ?, ?, ?)
            """, arguments: [profile.entityId, json, now.millisecondsSinceEpoch, cause.uuidString.lowercased()])
    }

    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entities") ?? 0
    }

    static func page(_ db: Database, after: String, limit: Int) throws -> [EntityRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM entities WHERE entityId > ? ORDER BY entityId LIMIT ?",
                         arguments: [after, limit]).map(record(from:))
    }

    private static func record(from row: Row) throws -> EntityRecord {
        let data: Data = row["profile"]
        return EntityRecord(profile: try JSONDecoder().decode(EntityProfile.self, from: data), status: row["status"],
                            version: row["version"],
                            registeredAt: Timestamp(millisecondsSinceEpoch: row["registeredAt"]),
                            updatedAt: Timestamp(millisecondsSinceEpoch: row["updatedAt"]))
    }

    static func canonicalJSON<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
