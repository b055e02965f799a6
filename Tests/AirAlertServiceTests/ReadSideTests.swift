import AirAlertDomain
@testable import AirAlertService
import Contract
import Foundation
import Testing

/// The admin routes over a store the handler filled.
@Suite("Read side")
struct ReadSideTests {
    func filled() throws -> Harness {
        let harness = try Harness()
        try harness.send(EntityRegistered(enterprise("E-voc", district: "wuhou", sector: .chemicals, voc: true)),
                         to: .registryEvents, at: cst("2026-07-01", 9))
        try harness.send(EntityRegistered(enterprise("E-far", district: "jinjiang", sector: .power)),
                         to: .registryEvents, at: cst("2026-07-01", 9))
        try harness.send(LifecycleOverRecordsTests.episode[0], at: cst("2026-07-10", 10, 1))
        try harness.send(reading("S-1", "qingyang", at: cst("2026-07-10", 10), o3: 180, o3EightHour: 220),
                         at: cst("2026-07-10", 10, 5))
        return harness
    }

    @Test func districtsListsEveryKnownDistrictWithItsLevel() throws {
        let body = try #require(try filled().admin("/districts") as? [String: Any])
        let districts = try #require(body["districts"] as? [[String: Any]])
        #expect(districts.map { $0["district"] as? String } == ["jinjiang", "qingyang", "wuhou"])
        #expect(districts[2]["level"] as? String == "yellow")
        #expect(districts[2]["activeDirectives"] as? Int == 1)
        #expect(districts[0]["level"] == nil)
        let observed = try #require(districts[1]["observed"] as? [String: Any])
        #expect(observed["o3Index"] as? Int == 155)
        #expect(observed["band"] as? String == "moderate")
    }

    @Test func aDistrictShowsItsAlertDirectivesForecastAndHistory() throws {
        let body = try #require(try filled().admin("/districts/{district}", parameters: ["district": "wuhou"])
                                as? [String: Any])
        #expect((body["alert"] as? [String: Any])?["alertId"] as? String == "wuhou-1")
        #expect((body["history"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["issued"])
        #expect((body["activeDirectives"] as? [[String: Any]])?.first?["directiveId"] as? String == "wuhou-1:yellow:E-voc")
        #expect((body["latestForecast"] as? [String: Any])?["forecastId"] as? String == "f1")
    }

    @Test func percentEncodedDistrictNamesAreDecoded() {
        #expect(AirAlertReadSide.decoded("%E9%94%A6%E6%B1%9F%E5%8C%BA") == "锦江区")
        #expect(AirAlertReadSide.decoded("wuhou") == "wuhou")
    }

    @Test func anUnknownDistrictOrStationIsNotFound() throws {
        let harness = try filled()
        #expect(throws: HarnessError.self) { try harness.admin("/districts/{district}", parameters: ["district": "nowhere"]) }
        #expect(throws: HarnessError.self) { try harness.admin("/observations/{stationId}", parameters: ["stationId": "S-9"]) }
    }

    @Test func directivesFilterByDistrict() throws {
        let harness = try filled()
        #expect((try harness.admin("/directives") as? [Any])?.count == 1)
        #expect((try harness.admin("/directives", query: ["district": "jinjiang"]) as? [Any])?.count == 0)
    }

    @Test func aStationShowsItsCurrentAndLatestReadings() throws {
        let body = try #require(try filled().admin("/observations/{stationId}", parameters: ["stationId": "S-1"])
                                as? [String: Any])
        #expect((body["current"] as? [String: Any])?["o3Index"] as? Int == 155)
        #expect((body["latest"] as? [Any])?.count == 1)
        #expect(body["district"] as? String == "qingyang")
    }
}
