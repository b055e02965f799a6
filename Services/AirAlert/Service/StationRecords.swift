import AirAlertDomain
import Foundation
import GRDB
import Store

/// What happened to one stored or dropped reading, for the station's counters.
enum ReadingOutcome: Sendable {
    case fresh
    case late
    case duplicate
}

/// SQL over `air_station_hours` and `air_stations`, with cached prepared statements bound
/// directly: this is the path every reading takes, so each call is one indexed statement.
enum StationRecords {
    /// Stores a reading under its (station, hour) key.
    /// - Returns: false when the station already has a reading for that hour (a duplicate).
    static func insertHour(_ db: Database, _ observation: Observation, slot: Int, assessment: AQIAssessment,
                           receivedAt: Int64, late: Bool) throws -> Bool {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO air_station_hours (stationId, hourSlot, district, observedAt, receivedAt, o3OneHour, o3EightHour,
                                           pm25, pm10, no2, o3Index, aqi, late)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (hourSlot, stationId) DO NOTHING
            """)
        try statement.run {
            $0.bind(observation.stationId); $0.bind(slot); $0.bind(observation.district)
            $0.bind(Int64((observation.observedAt.timeIntervalSince1970 * 1000).rounded(.down))); $0.bind(receivedAt)
            $0.bind(observation.o3OneHour.tenths); $0.bind(observation.o3EightHour.tenths); $0.bind(observation.pm25?.tenths)
            $0.bind(observation.pm10?.tenths); $0.bind(observation.no2?.tenths); $0.bind(assessment.o3Index)
            $0.bind(assessment.aqi); $0.bind(late)
        }
        return db.changesCount > 0
    }

    /// Counts the reading against its station, moves the newest slot on for a fresh one and the
    /// latest stored slot for any stored one.
    static func count(_ db: Database, stationId: String, district: String, slot: Int,
                      outcome: ReadingOutcome) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO air_stations (stationId, district, newestSlot, lastSlot, readings, lateReadings, duplicates)
            VALUES (?1, ?2, ?3, ?7, ?4, ?5, ?6)
            ON CONFLICT (stationId) DO UPDATE SET
                district = CASE WHEN ?3 IS NULL THEN district ELSE ?2 END,
                newestSlot = coalesce(?3, newestSlot),
                lastSlot = CASE WHEN ?6 = 0 AND ?7 > lastSlot THEN ?7 ELSE lastSlot END,
                readings = readings + ?4, lateReadings = lateReadings + ?5, duplicates = duplicates + ?6
            """)
        let freshSlot: Int?
        let counts: (readings: Int, late: Int, duplicates: Int)
        switch outcome {
        case .fresh: (freshSlot, counts) = (slot, (1, 0, 0))
        case .late: (freshSlot, counts) = (nil, (1, 1, 0))
        case .duplicate: (freshSlot, counts) = (nil, (0, 0, 1))
        }
        try statement.run {
            $0.bind(stationId); $0.bind(district); $0.bind(freshSlot); $0.bind(counts.readings); $0.bind(counts.late)
            $0.bind(counts.duplicates); $0.bind(slot)
        }
    }
}
