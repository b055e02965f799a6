import Contract
import Foundation
import GRDB

/// Lifecycle states of an entity record. A deregistered entity keeps its record, history and
/// holdings (it may still surrender and be assessed for past years) but is suspended for
/// trading and allocation; its id is never reused.
enum EntityStatus {
    static let active = "active"
    static let deregistered = "deregistered"
}

/// An entity as the registry holds it.
public struct EntityRecord: Codable, Sendable, Equatable {
    public var profile: EntityProfile
    public var status: String
    public var version: Int
    public var registeredAt: Timestamp
    public var updatedAt: Timestamp

    var isActive: Bool { status == EntityStatus.active }
}

/// One version of an entity record (`registered`, `updated`, `deregistered`).
public struct EntityVersion: Codable, Sendable, Equatable {
    public var version: Int
    public var change: String
    public var profile: EntityProfile
    public var changedAt: Timestamp
    public var causationId: String
    public var reason: String?
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
        try appendHistory(db, id: profile.entityId, version: 1, change: "registered", profile: json, at: now, cause: cause)
    }

    /// Replaces the profile of `record` and appends the new version to the history.
    static func update(_ db: Database, _ record: EntityRecord, to profile: EntityProfile, at now: Timestamp,
                       cause: UUID) throws {
        let json = try canonicalJSON(profile)
        let version = record.version + 1
        try db.execute(sql: "UPDATE entities SET profile = ?, version = ?, updatedAt = ? WHERE entityId = ?",
                       arguments: [json, version, now.millisecondsSinceEpoch, profile.entityId])
        try appendHistory(db, id: profile.entityId, version: version, change: "updated", profile: json, at: now, cause: cause)
    }

    /// Marks `record` deregistered; the profile stays as it was, the reason goes to the history.
    static func deregister(_ db: Database, _ record: EntityRecord, reason: String, at now: Timestamp, cause: UUID) throws {
        let version = record.version + 1
        try db.execute(sql: "UPDATE entities SET status = ?, version = ?, updatedAt = ? WHERE entityId = ?",
                       arguments: [EntityStatus.deregistered, version, now.millisecondsSinceEpoch, record.profile.entityId])
        try appendHistory(db, id: record.profile.entityId, version: version, change: "deregistered",
                          profile: try canonicalJSON(record.profile), at: now, cause: cause, reason: reason)
    }

    private static func appendHistory(_ db: Database, id: String, version: Int, change: String, profile: Data,
                                      at now: Timestamp, cause: UUID, reason: String? = nil) throws {
        try db.execute(sql: """
            INSERT INTO entity_history (entityId, version, change, profile, changedAt, causationId, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, version, change, profile, now.millisecondsSinceEpoch, cause.lowercasedString, reason])
    }

    static func history(_ db: Database, id: String) throws -> [EntityVersion] {
        try Row.fetchAll(db, sql: "SELECT * FROM entity_history WHERE entityId = ? ORDER BY version", arguments: [id]).map { row in
            let data: Data = row["profile"]
            return EntityVersion(version: row["version"], change: row["change"],
                                 profile: try JSONDecoder().decode(EntityProfile.self, from: data),
                                 changedAt: Timestamp(millisecondsSinceEpoch: row["changedAt"]),
                                 causationId: row["causationId"], reason: row["reason"])
        }
    }

    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entities") ?? 0
    }

    static func page(_ db: Database, after: String, limit: Int) throws -> [EntityRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM entities WHERE entityId > ? ORDER BY entityId LIMIT ?",
                         arguments: [after, limit]).map(record(from:))
    }

    /// Active entities in the national ETS, by id: the targets of year-wide allocation and assessment.
    static func activeNationalETS(_ db: Database) throws -> [EntityRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM entities WHERE status = 'active' ORDER BY entityId")
            .map(record(from:)).filter(\.profile.nationalETS)
    }

    /// Every entity id with its status (to open ledger accounts and suspend the deregistered).
    static func statuses(_ db: Database) throws -> [(id: String, status: String)] {
        try Row.fetchAll(db, sql: "SELECT entityId, status FROM entities").map { ($0["entityId"], $0["status"]) }
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
