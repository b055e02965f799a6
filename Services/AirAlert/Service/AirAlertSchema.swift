import GRDB

/// The air-alert service's tables, beside the runtime's inbox, outbox and offsets.
///
/// - `air_station_hours`: one row per clock hour and station (the de-duplication key), kept as
///   the observation record. Keyed hour first: readings arrive hour by hour, so a batch appends
///   to the end of the tree instead of touching one page per station (a 2,000-station batch
///   wrote about 20 times more pages keyed station first). `air_stations`: each station's newest
///   on-time hour (what the district's observed level is computed from), its latest stored hour
///   and its counters.
/// - `air_districts`: each district's `DistrictAlertState` and `DirectiveLedger` as JSON, the
///   source of truth of the warning lifecycle, with the level copied out for the read side.
/// - `air_alert_history`: every decision (and every ignored forecast) per district.
/// - `air_city_order`: the latest city-wide order, applied to districts that appear later.
/// - `air_enterprises`: the projection of the registry's entity events.
/// - `air_directives`: directives as published (a read-side copy of the ledgers, with
///   withdrawal times).
/// Concentrations are stored in tenths of ug/m3, times in milliseconds since the epoch.
enum AirAlertSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("air-alert-v1") { db in
            try db.execute(sql: """
                CREATE TABLE air_station_hours (
                    stationId TEXT NOT NULL,
                    hourSlot INTEGER NOT NULL,
                    district TEXT NOT NULL,
                    observedAt INTEGER NOT NULL,
                    receivedAt INTEGER NOT NULL,
                    o3OneHour INTEGER NOT NULL,
                    o3EightHour INTEGER NOT NULL,
                    pm25 INTEGER,
                    pm10 INTEGER,
                    no2 INTEGER,
                    o3Index INTEGER,
                    aqi INTEGER NOT NULL,
                    late INTEGER NOT NULL,
                    PRIMARY KEY (hourSlot, stationId)
                ) WITHOUT ROWID;
                CREATE TABLE air_stations (
                    stationId TEXT PRIMARY KEY NOT NULL,
                    district TEXT NOT NULL,
                    newestSlot INTEGER,
                    lastSlot INTEGER NOT NULL,
                    readings INTEGER NOT NULL,
                    lateReadings INTEGER NOT NULL,
                    duplicates INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX air_stations_district ON air_stations(district, newestSlot);
                CREATE TABLE air_districts (
                    district TEXT PRIMARY KEY NOT NULL,
                    state BLOB NOT NULL,
                    ledger BLOB NOT NULL,
                    level TEXT,
                    alertId TEXT,
                    updatedAt INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE air_alert_history (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    district TEXT NOT NULL,
                    recordedAt INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    alertId TEXT,
                    level TEXT,
                    startsOn TEXT,
                    endsOn TEXT,
                    late INTEGER,
                    reason TEXT NOT NULL,
                    cause TEXT NOT NULL,
                    inputId TEXT NOT NULL
                );
                CREATE INDEX air_alert_history_district ON air_alert_history(district, seq);
                CREATE TABLE air_city_order (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    orderId TEXT NOT NULL,
                    city TEXT NOT NULL,
                    level TEXT,
                    reason TEXT NOT NULL,
                    issuedAt INTEGER NOT NULL
                );
                CREATE TABLE air_enterprises (
                    entityId TEXT PRIMARY KEY NOT NULL,
                    district TEXT NOT NULL,
                    sector TEXT NOT NULL,
                    vocEmitter INTEGER NOT NULL,
                    greenBenchmark INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    updatedAt INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX air_enterprises_district ON air_enterprises(district);
                CREATE TABLE air_directives (
                    directiveId TEXT PRIMARY KEY NOT NULL,
                    alertId TEXT NOT NULL,
                    entityId TEXT NOT NULL,
                    district TEXT NOT NULL,
                    level TEXT NOT NULL,
                    exempt INTEGER NOT NULL,
                    measures BLOB NOT NULL,
                    issuedAt INTEGER NOT NULL,
                    withdrawnAt INTEGER,
                    withdrawReason TEXT
                ) WITHOUT ROWID;
                CREATE INDEX air_directives_active ON air_directives(district, entityId) WHERE withdrawnAt IS NULL;
                """)
        }
        // Every fresh reading moves its station's newestSlot, and with it an entry of this index:
        // an index write on the path every reading takes, for a read side that groups 2,000 rows
        // (a scan of them takes well under a millisecond).
        migrator.registerMigration("air-alert-v2-no-station-slot-index") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS air_stations_district")
        }
    }
}
