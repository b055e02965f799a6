import Contract
import Foundation
import GRDB

/// A published directive as the read side shows it.
struct DirectiveView: Sendable, Codable, Equatable {
    var directiveId: String
    var alertId: String
    var entityId: String
    var district: String
    var level: String
    var exempt: Bool
    var measures: [String]
    var issuedAt: Timestamp
    var withdrawnAt: Timestamp?
    var withdrawReason: String?
}

/// SQL over `air_directives`: the directives as published, kept for the read side.
///
/// The districts' `DirectiveLedger`s decide what is issued and withdrawn; this table only records
/// it. A directive id can come back (yellow, orange, then yellow again under one alert names
/// the same yellow directive): it is issued again, and its row is reset.
enum DirectiveRecords {
    static func issue(_ db: Database, _ directive: ControlDirectiveIssued, at now: Timestamp) throws {
        try db.execute(sql: """
            INSERT INTO air_directives (directiveId, alertId, entityId, district, level, exempt, measures, issuedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (directiveId) DO UPDATE SET level = excluded.level, exempt = excluded.exempt,
                measures = excluded.measures, issuedAt = excluded.issuedAt, withdrawnAt = NULL, withdrawReason = NULL
            """, arguments: [directive.directiveId, directive.alertId, directive.entityId, directive.district,
                             directive.level.rawValue, directive.exempt,
                             try DistrictRecords.canonicalJSON(directive.measures), now.millisecondsSinceEpoch])
    }

    static func withdraw(_ db: Database, directiveId: String, reason: String, at now: Timestamp) throws {
        try db.execute(sql: """
            UPDATE air_directives SET withdrawnAt = ?, withdrawReason = ? WHERE directiveId = ? AND withdrawnAt IS NULL
            """, arguments: [now.millisecondsSinceEpoch, reason, directiveId])
    }

    /// Directives in force, of one district or of all, by district then entity.
    static func active(_ db: Database, district: String?) throws -> [DirectiveView] {
        let rows: [Row]
        if let district {
            rows = try Row.fetchAll(db, sql: """
                SELECT * FROM air_directives WHERE withdrawnAt IS NULL AND district = ? ORDER BY entityId
                """, arguments: [district])
        } else {
            rows = try Row.fetchAll(db, sql: """
                SELECT * FROM air_directives WHERE withdrawnAt IS NULL ORDER BY district, entityId
                """)
        }
        return try rows.map(view)
    }

    static func activeCount(_ db: Database, district: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM air_directives WHERE withdrawnAt IS NULL AND district = ?",
                         arguments: [district]) ?? 0
    }

    private static func view(_ row: Row) throws -> DirectiveView {
        DirectiveView(directiveId: row["directiveId"], alertId: row["alertId"], entityId: row["entityId"],
                      district: row["district"], level: row["level"], exempt: row["exempt"],
                      measures: try JSONDecoder().decode([String].self, from: row["measures"] as Data),
                      issuedAt: Timestamp(millisecondsSinceEpoch: row["issuedAt"]),
                      withdrawnAt: (row["withdrawnAt"] as Int64?).map { Timestamp(millisecondsSinceEpoch: $0) },
                      withdrawReason: row["withdrawReason"])
    }
}
