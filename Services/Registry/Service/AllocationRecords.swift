import Contract
import Foundation
import GRDB
import RegistryDomain

/// A unit's recorded output for a year, as stored (`unit_outputs`).
public struct StoredUnitOutput: Codable, Sendable, Equatable {
    public var entityId: String
    public var unitId: String
    public var year: Int
    public var electricityMWh: Int64
    public var heatGJ: Int64
    /// Exact decimal text, e.g. "0.82".
    public var loadRate: String
    public var heatSupplyRatio: String
    /// 1 for the first record, +1 for each replacement.
    public var revision: Int
    public var recordedAt: Timestamp

    /// The allocation input; nil when the stored text is not a decimal (a corrupt row).
    var domain: UnitOutput? {
        guard let load = Decimal(string: loadRate), let ratio = Decimal(string: heatSupplyRatio) else { return nil }
        return UnitOutput(unitId: unitId, electricityMWh: Decimal(electricityMWh), heatGJ: Decimal(heatGJ),
                          loadRate: load, heatSupplyRatio: ratio)
    }
}

/// An allocation issued to an entity for a year and phase, as stored (`allocations`).
public struct StoredAllocation: Codable, Sendable, Equatable {
    public var entityId: String
    public var year: Int
    public var phase: String
    /// The year whose output it was computed from (the year itself for `final`).
    public var referenceYear: Int
    /// The phase's allocation (for `final`, the whole year's).
    public var quantity: Int64
    /// How the holding changed: the quantity for `pre`, final minus pre for `final`.
    public var holdingChange: Int64
    public var rulesVersion: String
    public var allocatedAt: Timestamp
}

enum AllocationRecords {
    // MARK: Outputs

    static func output(_ db: Database, entityId: String, unitId: String, year: Int) throws -> StoredUnitOutput? {
        try Row.fetchOne(db, sql: "SELECT * FROM unit_outputs WHERE entityId = ? AND year = ? AND unitId = ?",
                         arguments: [entityId, year, unitId]).map(output(from:))
    }

    /// Stores (or replaces) a unit's output for a year.
    static func saveOutput(_ db: Database, _ output: StoredUnitOutput, cause: UUID) throws {
        try db.execute(sql: """
            INSERT INTO unit_outputs (entityId, unitId, year, electricityMWh, heatGJ, loadRate, heatSupplyRatio, revision,
                                      recordedAt, causationId) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (entityId, year, unitId) DO UPDATE SET electricityMWh = excluded.electricityMWh,
                heatGJ = excluded.heatGJ, loadRate = excluded.loadRate, heatSupplyRatio = excluded.heatSupplyRatio,
                revision = excluded.revision, recordedAt = excluded.recordedAt, causationId = excluded.causationId
            """, arguments: [output.entityId, output.unitId, output.year, output.electricityMWh, output.heatGJ,
                             output.loadRate, output.heatSupplyRatio, output.revision,
                             output.recordedAt.millisecondsSinceEpoch, cause.lowercasedString])
    }

    /// Outputs of `year` by entity (of one entity when `entityId` is given).
    static func outputs(_ db: Database, year: Int, entityId: String? = nil) throws -> [String: [StoredUnitOutput]] {
        let rows: [Row]
        if let entityId {
            rows = try Row.fetchAll(db, sql: "SELECT * FROM unit_outputs WHERE entityId = ? AND year = ?", arguments: [entityId, year])
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT * FROM unit_outputs WHERE year = ?", arguments: [year])
        }
        return Dictionary(grouping: try rows.map(output(from:)), by: \.entityId)
    }

    /// Every output of an entity, by year then unit.
    static func outputs(_ db: Database, entityId: String) throws -> [StoredUnitOutput] {
        try Row.fetchAll(db, sql: "SELECT * FROM unit_outputs WHERE entityId = ? ORDER BY year, unitId",
                         arguments: [entityId]).map(output(from:))
    }

    /// The allocation that used `entityId`'s output of `year`, if one was issued: the final
    /// allocation of that year or a pre-allocation that took it as reference year.
    static func allocationUsing(_ db: Database, entityId: String, outputYear year: Int) throws -> StoredAllocation? {
        try Row.fetchOne(db, sql: """
            SELECT * FROM allocations WHERE entityId = ? AND ((phase = 'final' AND year = ?) OR (phase = 'pre' AND referenceYear = ?))
            LIMIT 1
            """, arguments: [entityId, year, year]).map(allocation(from:))
    }

    private static func output(from row: Row) throws -> StoredUnitOutput {
        StoredUnitOutput(entityId: row["entityId"], unitId: row["unitId"], year: row["year"],
                         electricityMWh: row["electricityMWh"], heatGJ: row["heatGJ"], loadRate: row["loadRate"],
                         heatSupplyRatio: row["heatSupplyRatio"], revision: row["revision"],
                         recordedAt: Timestamp(millisecondsSinceEpoch: row["recordedAt"]))
    }

    // MARK: Allocations

    /// Every allocation of `year`, by entity and phase (`pre`, `final`).
    static func allocations(_ db: Database, year: Int, entityId: String? = nil) throws -> [String: [String: StoredAllocation]] {
        let rows: [Row]
        if let entityId {
            rows = try Row.fetchAll(db, sql: "SELECT * FROM allocations WHERE year = ? AND entityId = ?", arguments: [year, entityId])
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT * FROM allocations WHERE year = ?", arguments: [year])
        }
        var byEntity: [String: [String: StoredAllocation]] = [:]
        for row in rows {
            let stored = try allocation(from: row)
            byEntity[stored.entityId, default: [:]][stored.phase] = stored
        }
        return byEntity
    }

    /// An entity's allocations, by year then phase.
    static func allocations(_ db: Database, entityId: String) throws -> [StoredAllocation] {
        try Row.fetchAll(db, sql: "SELECT * FROM allocations WHERE entityId = ? ORDER BY year, phase DESC",
                         arguments: [entityId]).map(allocation(from:))
    }

    static func insert(_ db: Database, _ stored: StoredAllocation, detail: EntityAllocation, cause: UUID) throws {
        try db.execute(sql: """
            INSERT INTO allocations (entityId, year, phase, referenceYear, quantity, holdingChange, rulesVersion, detail,
                                     allocatedAt, causationId) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [stored.entityId, stored.year, stored.phase, stored.referenceYear, stored.quantity,
                             stored.holdingChange, stored.rulesVersion, try EntityRecords.canonicalJSON(detail),
                             stored.allocatedAt.millisecondsSinceEpoch, cause.lowercasedString])
    }

    /// The free allocation of a year so far: the final one once made, else the pre-allocation.
    static func allocated(_ db: Database, entityId: String, year: Int) throws -> Int64 {
        let phases = try allocations(db, year: year, entityId: entityId)[entityId] ?? [:]
        return (phases["final"] ?? phases["pre"])?.quantity ?? 0
    }

    private static func allocation(from row: Row) throws -> StoredAllocation {
        StoredAllocation(entityId: row["entityId"], year: row["year"], phase: row["phase"], referenceYear: row["referenceYear"],
                         quantity: row["quantity"], holdingChange: row["holdingChange"], rulesVersion: row["rulesVersion"],
                         allocatedAt: Timestamp(millisecondsSinceEpoch: row["allocatedAt"]))
    }
}
