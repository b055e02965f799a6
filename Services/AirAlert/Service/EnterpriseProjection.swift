import AirAlertDomain
import Contract
import Foundation
import GRDB

/// The registry's enterprises as the air-alert service needs them: district, sector, VOCs and
/// green-benchmark flags (DESIGN.md section 1: both halves share one registry).
///
/// `EntityRegistered` and `EntityUpdated` carry the full profile and replace the row;
/// `EntityDeregistered` removes it. Every other event of `registry.events` (allowances, holds,
/// compliance, the registry's own rejections) is in the catalogue so that it is not
/// dead-lettered, and is ignored here.
enum EnterpriseProjection {
    /// Applies one registry event.
    /// - Returns: the district an enterprise was added to or moved into, so the caller can open
    ///   it (a city order in force reaches districts that appear later).
    static func apply(_ payload: any EventPayload, db: Database, at now: Timestamp) throws -> String? {
        switch payload {
        case let event as EntityRegistered:
            try upsert(db, event.profile, at: now)
            return event.profile.district
        case let event as EntityUpdated:
            try upsert(db, event.profile, at: now)
            return event.profile.district
        case let event as EntityDeregistered:
            try db.execute(sql: "DELETE FROM air_enterprises WHERE entityId = ?", arguments: [event.entityId])
            return nil
        default:
            return nil
        }
    }

    private static func upsert(_ db: Database, _ profile: EntityProfile, at now: Timestamp) throws {
        try db.execute(sql: """
            INSERT INTO air_enterprises (entityId, district, sector, vocEmitter, greenBenchmark, name, updatedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (entityId) DO UPDATE SET district = excluded.district, sector = excluded.sector,
                vocEmitter = excluded.vocEmitter, greenBenchmark = excluded.greenBenchmark, name = excluded.name,
                updatedAt = excluded.updatedAt
            """, arguments: [profile.entityId, profile.district, profile.sector.rawValue, profile.vocEmitter,
                             profile.greenBenchmark, profile.name, now.millisecondsSinceEpoch])
    }

    /// The enterprises of one district (the ledger sorts them itself).
    static func enterprises(_ db: Database, district: String) throws -> [Enterprise] {
        try Row.fetchAll(db, sql: """
            SELECT entityId, district, sector, vocEmitter, greenBenchmark FROM air_enterprises WHERE district = ?
            ORDER BY entityId
            """, arguments: [district]).map { row in
            Enterprise(entityId: row["entityId"], district: row["district"],
                       sector: AirAlertDomain.Sector(rawValue: row["sector"]) ?? .other,
                       vocEmitter: row["vocEmitter"], greenBenchmark: row["greenBenchmark"])
        }
    }

    static func count(_ db: Database, district: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM air_enterprises WHERE district = ?", arguments: [district]) ?? 0
    }
}
