import Foundation
import Testing
@testable import AirAlertDomain

@Suite struct ObservationTests {
    func reading(_ station: String = "s1", at time: Date, o3: Double = 180) throws -> Observation {
        try Observation(district: "wuhou", stationId: station, observedAt: time, o3OneHour: o3, o3EightHour: 150)
    }

    @Test func validReadingsAreIndexed() throws {
        let obs = try Observation(district: "wuhou", stationId: "s1", observedAt: cst("2026-07-14", 15),
                                  o3OneHour: 180, o3EightHour: 220, pm25: 40, pm10: 70, no2: 30)
        let a = try obs.assess(under: .hj633_2012)
        #expect(a.o3Index == 155)
        #expect(a.subIndices.map(\.pollutant) == [.o3OneHour, .o3EightHour, .pm25, .pm10, .no2OneHour])
        #expect(a.primaryPollutants == [.o3EightHour])
    }

    @Test func invalidReadingsAreRefused() {
        let t = cst("2026-07-14", 15)
        #expect(throws: AirAlertError.self) { try Observation(district: "", stationId: "s1", observedAt: t, o3OneHour: 1, o3EightHour: 1) }
        #expect(throws: AirAlertError.self) { try Observation(district: "wuhou", stationId: " ", observedAt: t, o3OneHour: 1, o3EightHour: 1) }
        #expect(throws: AirAlertError.self) { try Observation(district: "wuhou", stationId: "s1", observedAt: t, o3OneHour: -1, o3EightHour: 1) }
        #expect(throws: AirAlertError.self) { try Observation(district: "wuhou", stationId: "s1", observedAt: t, o3OneHour: .nan, o3EightHour: 1) }
        #expect(throws: AirAlertError.self) { try Observation(district: "wuhou", stationId: "s1", observedAt: t, o3OneHour: 1, o3EightHour: 2001) }
        #expect(throws: AirAlertError.self) { try Observation(district: "wuhou", stationId: "s1", observedAt: t, o3OneHour: 1, o3EightHour: 1, pm25: .infinity) }
        #expect((try? Observation(district: "wuhou", stationId: "s1", observedAt: t, o3OneHour: 2000, o3EightHour: 0)) != nil)
    }

    @Test func theContractPayloadDecodesOnlyWhenValid() throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let json = #"{"district":"wuhou","stationId":"s1","observedAt":"2026-07-14T07:00:00Z","o3OneHour":180,"o3EightHour":220,"pm25":40}"#
        let obs = try decoder.decode(Observation.self, from: Data(json.utf8))
        #expect(obs.pm25 == ug(40))
        #expect(obs.no2 == nil)
        let negative = json.replacingOccurrences(of: "220", with: "-3")
        #expect(throws: AirAlertError.self) { try decoder.decode(Observation.self, from: Data(negative.utf8)) }
    }

    @Test func theFirstReadingOfAStationHourWinsLaterOnesAreDuplicates() throws {
        var ledger = StationLedger()
        #expect(ledger.admit(try reading(at: cst("2026-07-14", 15, 0)), receivedAt: cst("2026-07-14", 15, 5)) == .fresh)
        #expect(ledger.admit(try reading(at: cst("2026-07-14", 15, 30), o3: 400), receivedAt: cst("2026-07-14", 15, 35)) == .duplicate)
        #expect(ledger.admit(try reading("s2", at: cst("2026-07-14", 15, 0)), receivedAt: cst("2026-07-14", 15, 6)) == .fresh)
        #expect(ledger.admit(try reading(at: cst("2026-07-14", 16, 0)), receivedAt: cst("2026-07-14", 16, 5)) == .fresh)
    }

    @Test func lateReadingsAreStoredOnceButNotCurrent() throws {
        var ledger = StationLedger()
        // Received three hours after it was taken: late (window 2 h).
        #expect(ledger.admit(try reading(at: cst("2026-07-14", 12)), receivedAt: cst("2026-07-14", 15)) == .late)
        #expect(ledger.admit(try reading(at: cst("2026-07-14", 12)), receivedAt: cst("2026-07-14", 15, 1)) == .duplicate)
        // Within the window but older than the station's newest reading: late as well.
        #expect(ledger.admit(try reading(at: cst("2026-07-14", 15)), receivedAt: cst("2026-07-14", 15, 5)) == .fresh)
        #expect(ledger.admit(try reading(at: cst("2026-07-14", 14)), receivedAt: cst("2026-07-14", 15, 10)) == .late)
    }

    @Test func readingsOutsideTheWindowOrFromTheFutureAreRejected() throws {
        var ledger = StationLedger()
        let old = ledger.admit(try reading(at: cst("2026-07-01", 12)), receivedAt: cst("2026-07-14", 15))
        guard case .rejected = old else { Issue.record("expected rejected, got \(old)"); return }
        let future = ledger.admit(try reading(at: cst("2026-07-14", 16)), receivedAt: cst("2026-07-14", 15))
        guard case .rejected = future else { Issue.record("expected rejected, got \(future)"); return }
        #expect(ledger.seenSlots.isEmpty)
    }

    @Test func slotsOutsideTheWindowAreForgotten() throws {
        var ledger = StationLedger()
        _ = ledger.admit(try reading(at: cst("2026-07-01", 12)), receivedAt: cst("2026-07-01", 12, 5))
        _ = ledger.admit(try reading(at: cst("2026-07-14", 12)), receivedAt: cst("2026-07-14", 12, 5))
        #expect(ledger.seenSlots["s1"]?.count == 1)
    }
}
