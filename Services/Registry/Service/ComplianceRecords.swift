import Contract
import Foundation
import GRDB
import RegistryDomain

/// Verified emissions, surrenders and assessments as stored.
enum ComplianceRecords {
    static func verified(_ db: Database, entityId: String, year: Int) throws -> (tonnes: Int64, revision: Int)? {
        try Row.fetchOne(db, sql: "SELECT tonnes, revision FROM verified_emissions WHERE entityId = ? AND year = ?",
                         arguments: [entityId, year]).map { ($0["tonnes"], $0["revision"]) }
    }

    /// Stores (or replaces, as a new revision) an entity's verified emissions for a year.
    static func saveVerified(_ db: Database, entityId: String, year: Int, tonnes: Int64, revision: Int,
                             at now: Timestamp, cause: UUID) throws {
        try db.execute(sql: """
            INSERT INTO verified_emissions (entityId, year, tonnes, revision, recordedAt, causationId) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (entityId, year) DO UPDATE SET tonnes = excluded.tonnes, revision = excluded.revision,
                recordedAt = excluded.recordedAt, causationId = excluded.causationId
            """, arguments: [entityId, year, tonnes, revision, now.millisecondsSinceEpoch, cause.lowercasedString])
    }

    static func recordSurrender(_ db: Database, sequence: Int, entityId: String, year: Int, instrument: String,
                                quantity: Int64, commandId: UUID, at now: Timestamp) throws {
        try db.execute(sql: """
            INSERT INTO surrenders (seq, entityId, year, instrument, quantity, commandId, at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sequence, entityId, year, instrument, quantity, commandId.lowercasedString,
                             now.millisecondsSinceEpoch])
    }

    /// Tonnes surrendered by `entityId` for `year`, per instrument.
    static func surrendered(_ db: Database, entityId: String, year: Int) throws -> [String: Int64] {
        var totals: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT instrument, SUM(quantity) AS total FROM surrenders WHERE entityId = ? AND year = ? GROUP BY instrument
            """, arguments: [entityId, year]) {
            totals[row["instrument"]] = row["total"]
        }
        return totals
    }

    /// The figures compliance of `record` for `year` depends on, as they stand in `db`.
    static func figures(_ db: Database, _ record: EntityRecord, year: Int) throws -> ComplianceFigures {
        let id = record.profile.entityId
        let surrendered = try surrendered(db, entityId: id, year: year)
        return ComplianceFigures(entityId: id, year: year, verified: try verified(db, entityId: id, year: year).map { Int($0.tonnes) },
                                 allocated: Int(try AllocationRecords.allocated(db, entityId: id, year: year)),
                                 surrenderedCEA: Int(surrendered[LedgerInstrument.cea.rawValue] ?? 0),
                                 surrenderedCCER: Int(surrendered[LedgerInstrument.ccer.rawValue] ?? 0),
                                 gasFired: record.profile.domainEntity.isGasFired)
    }

    static func saveAssessment(_ db: Database, _ assessment: ComplianceAssessment, at now: Timestamp, cause: UUID) throws {
        try db.execute(sql: """
            INSERT INTO compliance_assessments (entityId, year, assessment, assessedAt, causationId) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (entityId, year) DO UPDATE SET assessment = excluded.assessment, assessedAt = excluded.assessedAt,
                causationId = excluded.causationId
            """, arguments: [assessment.entityId, assessment.year, try EntityRecords.canonicalJSON(assessment),
                             now.millisecondsSinceEpoch, cause.lowercasedString])
    }

    /// The last stored assessment of `entityId` for `year`, with when it was made.
    static func assessment(_ db: Database, entityId: String, year: Int) throws -> StoredAssessment? {
        guard let row = try Row.fetchOne(db, sql: "SELECT assessment, assessedAt FROM compliance_assessments WHERE entityId = ? AND year = ?",
                                         arguments: [entityId, year]) else { return nil }
        let data: Data = row["assessment"]
        return StoredAssessment(assessment: try JSONDecoder().decode(ComplianceAssessment.self, from: data),
                                assessedAt: Timestamp(millisecondsSinceEpoch: row["assessedAt"]))
    }
}

/// An assessment as the registry last emitted it.
public struct StoredAssessment: Codable, Sendable {
    public var assessment: ComplianceAssessment
    public var assessedAt: Timestamp
}
