import AirAlertDomain
@testable import AirAlertService
import Contract
import Foundation
import Testing

/// Station readings: stored once per station hour, late ones kept but not current, refused ones
/// dead-lettered with a reason.
@Suite("Observations over records")
struct ObservationServiceTests {
    let t0 = cst("2026-07-10", 14)

    func hours(_ harness: Harness, _ station: String = "S-1") throws -> Int {
        try harness.count("SELECT COUNT(*) FROM air_station_hours WHERE stationId = ?", [station])
    }

    func station(_ harness: Harness, _ id: String = "S-1") throws -> StationView {
        guard let view = try harness.read({ try ObservedLevels.station($0, stationId: id, hours: 24) }) else {
            throw HarnessError("no station \(id)")
        }
        return view
    }

    @Test func aReadingIsIndexedAndBecomesTheStationsCurrentValue() throws {
        let harness = try Harness()
        try harness.send(reading("S-1", "wuhou", at: t0, o3: 180, o3EightHour: 220), at: t0.addingTimeInterval(120))
        let view = try station(harness)
        #expect(view.current?.o3OneHour == 180)
        #expect(view.current?.o3Index == 155)
        #expect(view.current?.aqi == 155)
        #expect(view.current?.late == false)
        #expect(view.readings == 1)
    }

    @Test func aSecondReadingOfTheSameHourIsNotCountedTwice() throws {
        let harness = try Harness()
        try harness.send(reading("S-1", "wuhou", at: t0, o3: 100), at: t0.addingTimeInterval(60))
        try harness.send(reading("S-1", "wuhou", at: t0.addingTimeInterval(600), o3: 300), at: t0.addingTimeInterval(700))
        #expect(try hours(harness) == 1)
        let view = try station(harness)
        #expect(view.readings == 1)
        #expect(view.duplicates == 1)
        #expect(view.current?.o3OneHour == 100) // the first one wins
        #expect(try harness.deadLetters().isEmpty)
    }

    @Test func theSameEnvelopeRedeliveredHasNoSecondEffect() throws {
        let harness = try Harness()
        let id = UUID()
        try harness.send(reading("S-1", "wuhou", at: t0), at: t0.addingTimeInterval(60), id: id)
        try harness.send(reading("S-1", "wuhou", at: t0), at: t0.addingTimeInterval(60), id: id)
        #expect(try station(harness).readings == 1)
        #expect(try station(harness).duplicates == 0) // dropped by the inbox before the handler
        #expect(harness.loop.status.snapshot.duplicates == 1)
    }

    @Test func aLateReadingIsStoredOnceButDoesNotBecomeCurrent() throws {
        let harness = try Harness()
        let now = t0.addingTimeInterval(5 * 3600)
        try harness.send(reading("S-1", "wuhou", at: now, o3: 110), at: now.addingTimeInterval(60))
        // Taken 3 h before it arrives: late by age.
        try harness.send(reading("S-1", "wuhou", at: t0.addingTimeInterval(3 * 3600), o3: 250), at: now.addingTimeInterval(120))
        // Older than the station's newest hour: late by order, although only about 1 h old.
        try harness.send(reading("S-1", "wuhou", at: t0.addingTimeInterval(4 * 3600), o3: 260), at: now.addingTimeInterval(180))
        // The same hour again: a duplicate, dropped.
        try harness.send(reading("S-1", "wuhou", at: t0.addingTimeInterval(3 * 3600), o3: 999), at: now.addingTimeInterval(240))
        let view = try station(harness)
        #expect(view.current?.o3OneHour == 110)
        #expect(view.readings == 3)
        #expect(view.lateReadings == 2)
        #expect(view.duplicates == 1)
        #expect(view.latest.filter(\.late).count == 2)
        #expect(try hours(harness) == 3)
    }

    /// The station's newest hour is held in memory on the reading path; a restart must restore
    /// it from the file, or an older reading would wrongly become current.
    @Test func aReadingOlderThanTheNewestHourIsStillLateAfterARestart() throws {
        let harness = try Harness()
        let now = t0.addingTimeInterval(5 * 3600)
        try harness.send(reading("S-1", "wuhou", at: now, o3: 110), at: now.addingTimeInterval(60))
        try harness.restart()
        try harness.send(reading("S-1", "wuhou", at: t0.addingTimeInterval(4 * 3600), o3: 260), at: now.addingTimeInterval(180))
        let view = try station(harness)
        #expect(view.current?.o3OneHour == 110)
        #expect(view.lateReadings == 1)
    }

    @Test func readingsOutsideTheDeduplicationWindowOrFromTheFutureAreDeadLettered() throws {
        let harness = try Harness()
        try harness.send(reading("S-1", "wuhou", at: t0.addingTimeInterval(-8 * 86_400)), at: t0)
        try harness.send(reading("S-1", "wuhou", at: t0.addingTimeInterval(3600)), at: t0)
        let letters = try harness.deadLetters()
        #expect(letters.count == 2)
        #expect(letters[0].code == "stale-reading")
        #expect(letters[0].reason.contains("de-duplication window"))
        #expect(letters[1].code == "future-reading")
        #expect(try hours(harness) == 0)
    }

    @Test func stationHoursOlderThanTheRetentionAreDeletedAsRecordTimeMovesOn() throws {
        let harness = try Harness(configuration: AirAlertConfiguration(observationRetentionDays: 40))
        try harness.send(reading("S-1", "wuhou", at: t0), at: t0.addingTimeInterval(60))
        try harness.send(reading("S-1", "wuhou", at: t0.addingTimeInterval(86_400)), at: t0.addingTimeInterval(86_460))
        #expect(try hours(harness) == 2)
        // Exactly 40 days after t0's hour (by the records' time) it is still kept...
        let retention = 40.0 * 86_400
        try harness.send(reading("S-2", "wuhou", at: t0.addingTimeInterval(retention)), at: t0.addingTimeInterval(retention + 60))
        #expect(try hours(harness) == 2)
        // ...and an hour later it is gone; the stations' counters keep their whole history.
        let later = t0.addingTimeInterval(retention + 3600)
        try harness.send(reading("S-3", "wuhou", at: later), at: later.addingTimeInterval(60))
        #expect(try hours(harness) == 1)
        #expect(try hours(harness, "S-2") == 1 && hours(harness, "S-3") == 1)
        #expect(try station(harness).readings == 2)
        // Pruning goes on after a restart.
        try harness.restart()
        let nextDay = later.addingTimeInterval(86_400)
        try harness.send(reading("S-2", "wuhou", at: nextDay), at: nextDay.addingTimeInterval(60))
        #expect(try hours(harness) == 0)
        #expect(try hours(harness, "S-2") == 2)
        #expect(try harness.deadLetters().isEmpty)
    }

    @Test func aLongOverdueRecordIsPrunedADayAtATimeOldestFirst() throws {
        let harness = try Harness(configuration: AirAlertConfiguration(observationRetentionDays: 40))
        for day in 0..<3 {
            let at = t0.addingTimeInterval(Double(day) * 86_400)
            try harness.send(reading("S-1", "wuhou", at: at), at: at.addingTimeInterval(60))
        }
        // Forty-three days on, all three days are past the retention; each reading prunes one.
        let far = t0.addingTimeInterval(43 * 86_400 + 3600)
        var remaining: [Int] = []
        for (index, station) in ["S-2", "S-3", "S-4"].enumerated() {
            let at = far.addingTimeInterval(Double(index) * 60)
            try harness.send(reading(station, "wuhou", at: at), at: at.addingTimeInterval(30))
            remaining.append(try hours(harness))
        }
        #expect(remaining == [2, 1, 0])
    }

    @Test func aRecordStampedInTheFutureDoesNotPruneBeyondTheWallClock() throws {
        let harness = try Harness(configuration: AirAlertConfiguration(observationRetentionDays: 40))
        let now = Date()
        try harness.send(reading("S-1", "wuhou", at: now.addingTimeInterval(-86_400)), at: now.addingTimeInterval(-86_340))
        // A gateway whose clock is a year ahead, on its readings and its records alike.
        let ahead = now.addingTimeInterval(365 * 86_400)
        try harness.send(reading("S-2", "wuhou", at: ahead), at: ahead.addingTimeInterval(60))
        #expect(try hours(harness) == 1)
    }

    @Test func malformedReadingsAreDeadLetteredWithTheirReason() throws {
        let harness = try Harness()
        try harness.send(reading("S-1", "wuhou", at: t0, o3: -5), at: t0)
        try harness.sendRaw(#"{"id":"not json"#, at: t0)
        let missing = """
            {"id":"5a3c1f8e-2b4d-4e6f-8a9b-0c1d2e3f4a5b","type":"AirQualityObserved","version":1,\
            "occurredAt":"2026-07-10T06:00:00.000Z","source":"test","data":{"district":"wuhou","stationId":"S-1"}}
            """
        try harness.sendRaw(missing, at: t0)
        let letters = try harness.deadLetters()
        #expect(letters.map(\.code) == ["invalid-field", "malformed-json", "missing-field"])
        #expect(letters[0].reason.contains("o3OneHour"))
        #expect(letters.allSatisfy { $0.topic == "air.observations" && $0.consumer == "air-alert" })
        #expect(try hours(harness) == 0)
    }

    @Test func aReadingOnTheWrongTopicIsDeadLetteredNotApplied() throws {
        let harness = try Harness()
        try harness.send(reading("S-1", "wuhou", at: t0), to: .registryEvents, at: t0)
        let letters = try harness.deadLetters(.registryEvents)
        #expect(letters.count == 1)
        #expect(letters.first?.code == "wrong-topic")
        #expect(try hours(harness) == 0)
    }

    @Test func theDistrictsObservedLevelIsTheIndexOfItsStationsMeanConcentrations() throws {
        let harness = try Harness()
        try harness.send(reading("S-1", "wuhou", at: t0, o3: 160, o3EightHour: 200), at: t0.addingTimeInterval(60))
        try harness.send(reading("S-2", "wuhou", at: t0, o3: 200, o3EightHour: 240), at: t0.addingTimeInterval(60))
        // An older hour of a third station does not count towards the district's current hour.
        try harness.send(reading("S-3", "wuhou", at: t0.addingTimeInterval(-3600), o3: 900), at: t0.addingTimeInterval(60))
        let levels = try harness.read { try ObservedLevels.all($0, lifecycle: AlertLifecycleRules()) }
        let wuhou = try #require(levels["wuhou"])
        #expect(wuhou.stations == 2)
        #expect(wuhou.o3OneHour == 180)
        #expect(wuhou.o3EightHour == 220)
        #expect(wuhou.o3Index == 155)
        #expect(wuhou.band == "moderate")
        #expect(wuhou.standard == "hj633-2026")
    }
}
