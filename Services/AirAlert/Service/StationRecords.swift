import AirAlertDomain
import Foundation
import GRDB

/// What happened to one stored or dropped reading, for the station's counters.
enum ReadingOutcome: Sendable {
    case fresh
    case late
    case duplicate
}

/// SQL over `air_station_hours` and `air_stations`, with cached prepared statements: this is the
/// path every reading takes, so each call is one indexed statement.
enum StationRecords {
    /// The station's newest on-time hour slot, nil before its first.
    static func newestSlot(_ db: Database, stationId: String) throws -> Int? {
        let statement = try db.cachedStatement(sql: "SELECT newestSlot FROM air_stations WHERE stationId = ?")
        return try Int?.fetchOne(statement, arguments: [stationId]) ?? nil
    }

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
        try statement.execute(arguments: [
            observation.stationId, slot, observation.district,
            Int64((observation.observedAt.timeIntervalSince1970 * 1000).rounded(.down)), receivedAt,
            observation.o3OneHour.tenths, observation.o3EightHour.tenths, observation.pm25?.tenths,
            observation.pm10?.tenths, observation.no2?.tenths, assessment.o3Index, assessment.aqi, late,
        ])
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
        try statement.execute(arguments: [stationId, district, freshSlot, counts.readings, counts.late,
                                          counts.duplicates, slot])
    }
}
