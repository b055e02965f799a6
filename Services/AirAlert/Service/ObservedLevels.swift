import AirAlertDomain
import Contract
import Foundation
import GRDB

/// A district's air as its stations measure it now: the mean concentrations of the stations
/// that reported in the district's newest hour, indexed under the edition of HJ 633 in force.
///
/// HJ 633 indexes a city from the mean concentrations of its stations, not the mean of their
/// indices; the same is done per district here. Observations never change a warning (warnings
/// follow forecasts); this is what an operator compares the warning with.
struct ObservedLevel: Sendable, Codable, Equatable {
    var asOf: Timestamp
    var stations: Int
    var o3OneHour: Double
    var o3EightHour: Double
    var pm25: Double?
    var pm10: Double?
    var no2: Double?
    var standard: String
    var o3Index: Int?
    var aqi: Int
    var band: String
    var primaryPollutants: [String]
}

/// One stored reading as the read side shows it (ug/m3).
struct ReadingView: Sendable, Codable, Equatable {
    var observedAt: Timestamp
    var receivedAt: Timestamp
    var o3OneHour: Double
    var o3EightHour: Double
    var pm25: Double?
    var pm10: Double?
    var no2: Double?
    var o3Index: Int?
    var aqi: Int
    var late: Bool
}

/// A station: its counters, its current (newest on-time) reading and its latest stored ones.
struct StationView: Sendable, Codable, Equatable {
    var stationId: String
    var district: String
    var readings: Int
    var lateReadings: Int
    var duplicates: Int
    var current: ReadingView?
    var latest: [ReadingView]
}

enum ObservedLevels {
    /// The observed level of every district with stations, keyed by district.
    ///
    /// `CROSS JOIN` makes SQLite find the stations first and then each one's hour by its whole
    /// key; left to itself it scanned every station's row of each district's newest hour
    /// (2,000 rows per district) and filtered them, 3x slower on a year of readings.
    static func all(_ db: Database, lifecycle: AlertLifecycleRules) throws -> [String: ObservedLevel] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT s.district AS district, COUNT(*) AS stations, MAX(h.observedAt) AS asOf,
                   AVG(h.o3OneHour) AS o3OneHour, AVG(h.o3EightHour) AS o3EightHour,
                   AVG(h.pm25) AS pm25, AVG(h.pm10) AS pm10, AVG(h.no2) AS no2
            FROM air_stations s
            JOIN (SELECT district, MAX(newestSlot) AS slot FROM air_stations GROUP BY district) m
              ON m.district = s.district AND s.newestSlot = m.slot
            CROSS JOIN air_station_hours h ON h.hourSlot = s.newestSlot AND h.stationId = s.stationId
            GROUP BY s.district
            """)
        var levels: [String: ObservedLevel] = [:]
        for row in rows {
            let asOf = Timestamp(millisecondsSinceEpoch: row["asOf"])
            let reading = AQIReading(o3OneHour: try concentration(row["o3OneHour"]),
                                     o3EightHour: try concentration(row["o3EightHour"]),
                                     pm25: try concentration(row["pm25"]), pm10: try concentration(row["pm10"]),
                                     no2OneHour: try concentration(row["no2"]))
            let day = CalendarDay(containing: asOf.date, utcOffsetSeconds: lifecycle.utcOffsetSeconds)
            guard let standard = try? AQIStandard.effective(on: day, in: lifecycle.standards),
                  let assessment = try? standard.assess(reading) else { continue }
            levels[row["district"]] = ObservedLevel(
                asOf: asOf, stations: row["stations"], o3OneHour: micrograms(row["o3OneHour"]) ?? 0,
                o3EightHour: micrograms(row["o3EightHour"]) ?? 0, pm25: micrograms(row["pm25"]),
                pm10: micrograms(row["pm10"]), no2: micrograms(row["no2"]), standard: standard.id,
                o3Index: assessment.o3Index, aqi: assessment.aqi, band: assessment.band.rawValue,
                primaryPollutants: assessment.primaryPollutants.map(\.id))
        }
        return levels
    }

    /// A station with its readings of the `hours` hours up to its latest stored one, newest first.
    /// The readings are keyed hour first, so they are fetched as one point lookup per hour.
    static func station(_ db: Database, stationId: String, hours: Int) throws -> StationView? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM air_stations WHERE stationId = ?",
                                         arguments: [stationId]) else { return nil }
        let last: Int = row["lastSlot"]
        let slots = (0..<max(1, min(hours, 168))).map { last - $0 }
        let placeholders = slots.map { _ in "?" }.joined(separator: ",")
        var values: [any DatabaseValueConvertible] = slots
        values.append(stationId)
        let latest = try Row.fetchAll(db, sql: """
            SELECT * FROM air_station_hours WHERE hourSlot IN (\(placeholders)) AND stationId = ?
            ORDER BY hourSlot DESC
            """, arguments: StatementArguments(values)).map(reading)
        var current: ReadingView?
        if let slot = row["newestSlot"] as Int? {
            current = try Row.fetchOne(db, sql: "SELECT * FROM air_station_hours WHERE hourSlot = ? AND stationId = ?",
                                       arguments: [slot, stationId]).map(reading)
        }
        return StationView(stationId: stationId, district: row["district"], readings: row["readings"],
                           lateReadings: row["lateReadings"], duplicates: row["duplicates"], current: current,
                           latest: latest)
    }

    private static func reading(_ row: Row) -> ReadingView {
        ReadingView(observedAt: Timestamp(millisecondsSinceEpoch: row["observedAt"]),
                    receivedAt: Timestamp(millisecondsSinceEpoch: row["receivedAt"]),
                    o3OneHour: Double(row["o3OneHour"] as Int) / 10, o3EightHour: Double(row["o3EightHour"] as Int) / 10,
                    pm25: (row["pm25"] as Int?).map { Double($0) / 10 }, pm10: (row["pm10"] as Int?).map { Double($0) / 10 },
                    no2: (row["no2"] as Int?).map { Double($0) / 10 }, o3Index: row["o3Index"], aqi: row["aqi"],
                    late: row["late"])
    }

    /// A mean of tenths as a concentration (rounded to the nearest tenth).
    private static func concentration(_ tenths: Double?) throws -> Concentration? {
        try tenths.map { try Concentration(tenths: Int($0.rounded())) }
    }

    private static func micrograms(_ tenths: Double?) -> Double? {
        tenths.map { ($0.rounded()) / 10 }
    }
}
