import AirAlertDomain
import Contract
import Foundation
import GRDB

/// One district's warning lifecycle and the directives in force under it, as stored.
struct DistrictRecord: Sendable {
    var state: DistrictAlertState
    var ledger: DirectiveLedger

    init(district: String) {
        state = DistrictAlertState(district: district)
        ledger = DirectiveLedger(district: district)
    }

    init(state: DistrictAlertState, ledger: DirectiveLedger) {
        self.state = state
        self.ledger = ledger
    }
}

/// The latest city-wide order (`SetCityAlertLevel`), kept so that a district that appears after
/// it (a first forecast, a first enterprise) still gets the city's level.
struct StoredCityOrder: Sendable, Codable {
    var order: CityLevelOrder
    var city: String
}

/// SQL over `air_districts`, `air_alert_history` and `air_city_order`.
///
/// The domain values are stored as canonical JSON (sorted keys): the lifecycle state is the
/// domain's own `Codable`, so the service never re-implements its fields.
enum DistrictRecords {
    static func load(_ db: Database, district: String) throws -> DistrictRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT state, ledger FROM air_districts WHERE district = ?",
                                         arguments: [district]) else { return nil }
        let decoder = JSONDecoder()
        return DistrictRecord(state: try decoder.decode(DistrictAlertState.self, from: row["state"] as Data),
                              ledger: try decoder.decode(DirectiveLedger.self, from: row["ledger"] as Data))
    }

    static func save(_ db: Database, _ record: DistrictRecord, at now: Timestamp) throws {
        let active = record.state.active
        try db.execute(sql: """
            INSERT INTO air_districts (district, state, ledger, level, alertId, updatedAt) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (district) DO UPDATE SET state = excluded.state, ledger = excluded.ledger,
                level = excluded.level, alertId = excluded.alertId, updatedAt = excluded.updatedAt
            """, arguments: [record.state.district, try canonicalJSON(record.state), try canonicalJSON(record.ledger),
                             active?.level.rawValue, active.map { WireID.alert($0.alertId) },
                             now.millisecondsSinceEpoch])
    }

    /// Every district the service knows: from forecasts and city orders (a stored lifecycle) and
    /// from the registry's enterprises. Sorted, so a city order visits them in a fixed order and
    /// its derived event ids do not depend on storage order.
    static func knownDistricts(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT district FROM air_districts UNION SELECT district FROM air_enterprises ORDER BY district
            """)
    }

    static func cityOrder(_ db: Database) throws -> StoredCityOrder? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM air_city_order WHERE singleton = 1") else { return nil }
        let level = (row["level"] as String?).flatMap(AirAlertDomain.AlertLevel.init(rawValue:))
        let issuedAt = Date(timeIntervalSince1970: Double(row["issuedAt"] as Int64) / 1000)
        let order = try CityLevelOrder(orderId: row["orderId"], level: level, reason: row["reason"], issuedAt: issuedAt)
        return StoredCityOrder(order: order, city: row["city"])
    }

    /// Keeps `order` when it is not older than the stored one (city orders are ordered by their
    /// `issuedAt`, as the domain orders them).
    static func saveCityOrder(_ db: Database, _ stored: StoredCityOrder) throws {
        try db.execute(sql: """
            INSERT INTO air_city_order (singleton, orderId, city, level, reason, issuedAt) VALUES (1, ?, ?, ?, ?, ?)
            ON CONFLICT (singleton) DO UPDATE SET orderId = excluded.orderId, city = excluded.city,
                level = excluded.level, reason = excluded.reason, issuedAt = excluded.issuedAt
            WHERE excluded.issuedAt >= air_city_order.issuedAt
            """, arguments: [stored.order.orderId, stored.city, stored.order.level?.rawValue, stored.order.reason,
                             Timestamp(stored.order.issuedAt).millisecondsSinceEpoch])
    }

    static func appendHistory(_ db: Database, _ entry: HistoryEntry) throws {
        try db.execute(sql: """
            INSERT INTO air_alert_history (district, recordedAt, kind, alertId, level, startsOn, endsOn, late, reason,
                                           cause, inputId)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [entry.district, entry.recordedAt.millisecondsSinceEpoch, entry.kind, entry.alertId,
                             entry.level?.rawValue, entry.startsOn?.description, entry.endsOn?.description, entry.late,
                             entry.reason, entry.cause, entry.inputId])
    }

    static func history(_ db: Database, district: String, limit: Int) throws -> [HistoryEntry] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM (SELECT * FROM air_alert_history WHERE district = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq
            """, arguments: [district, limit]).map { row in
            HistoryEntry(district: row["district"], recordedAt: Timestamp(millisecondsSinceEpoch: row["recordedAt"]),
                         kind: row["kind"], alertId: row["alertId"],
                         level: (row["level"] as String?).flatMap(Contract.AlertLevel.init(rawValue:)),
                         startsOn: (row["startsOn"] as String?).flatMap(CivilDate.init),
                         endsOn: (row["endsOn"] as String?).flatMap(CivilDate.init), late: row["late"],
                         reason: row["reason"], cause: row["cause"], inputId: row["inputId"])
        }
    }

    static func canonicalJSON<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

/// One line of a district's history: a published decision, or a forecast or order that was
/// ignored (`ignored-duplicate`, `ignored-out-of-order`) with the domain's reason.
struct HistoryEntry: Sendable, Codable, Equatable {
    var district: String
    var recordedAt: Timestamp
    /// `issued`, `upgraded`, `downgraded`, `revised`, `lifted`, or `ignored-<code>`.
    var kind: String
    var alertId: String?
    var level: Contract.AlertLevel?
    var startsOn: CivilDate?
    var endsOn: CivilDate?
    var late: Bool?
    var reason: String
    /// The forecast id or city order id behind it.
    var cause: String
    /// The id of the input envelope.
    var inputId: String
}
