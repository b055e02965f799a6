import AirAlertDomain
@testable import AirAlertService
import Contract
import Foundation
import Testing

/// `SetCityAlertLevel`: one order for every district the service knows, and for those it
/// learns of while the order is in force.
@Suite("City-wide level over records")
struct CityLevelTests {
    /// `wuhou` known from a forecast (yellow ahead), `jinjiang` from an enterprise.
    func knownDistricts() throws -> Harness {
        let harness = try Harness()
        try harness.send(EntityRegistered(enterprise("E-away", district: "jinjiang", sector: .printing, voc: true)),
                         to: .registryEvents, at: cst("2026-07-01", 9))
        try harness.send(LifecycleOverRecordsTests.episode[0], at: cst("2026-07-10", 10, 1))
        return harness
    }

    func order(_ level: Contract.AlertLevel?, at time: Date) -> SetCityAlertLevel {
        SetCityAlertLevel(city: "chengdu", level: level, reason: "city-wide ozone episode", issuedAt: Timestamp(time))
    }

    func events(_ harness: Harness, district: String) throws -> [String] {
        try harness.alerts().filter { $0.payload.partitionKey == district }.map(\.type.rawValue)
    }

    @Test func aCityOrderReachesEveryKnownDistrict() throws {
        let harness = try knownDistricts()
        let orderId = try harness.send(order(.orange, at: cst("2026-07-10", 12)), at: cst("2026-07-10", 12, 1))
        let issued = try #require(try harness.alerts(AlertIssued.self).first { $0.district == "jinjiang" })
        #expect(issued.level == .orange)
        #expect(issued.startsOn == CivilDate(year: 2026, month: 7, day: 10))
        #expect(issued.late == false)
        #expect(issued.forecastId == orderId.uuidString.lowercased())
        #expect(issued.reason.contains("city-wide ozone episode"))
        #expect(try events(harness, district: "jinjiang") == ["AlertIssued", "ControlDirectiveIssued"])
        let wuhou = try #require(try harness.alerts(AlertUpgraded.self).first)
        #expect(wuhou.district == "wuhou")
        #expect(wuhou.level == .orange)
        let levels = try harness.read { try String.fetchAll($0, sql: "SELECT level FROM air_districts ORDER BY district") }
        #expect(levels == ["orange", "orange"])
    }

    @Test func districtsThatAppearWhileTheOrderIsInForceTakeIt() throws {
        let harness = try knownDistricts()
        try harness.send(order(.red, at: cst("2026-07-10", 12)), at: cst("2026-07-10", 12, 1))
        try harness.send(EntityRegistered(enterprise("E-new", district: "qingyang", sector: .construction)),
                         to: .registryEvents, at: cst("2026-07-10", 13))
        try harness.send(forecast("c1", "chenghua", issued: cst("2026-07-10", 14), start: "2026-07-10", [100, 100, 100]),
                         at: cst("2026-07-10", 14, 1))
        let qingyang = try events(harness, district: "qingyang")
        #expect(qingyang == ["AlertIssued", "ControlDirectiveIssued"])
        #expect(try harness.alerts(AlertIssued.self).first { $0.district == "chenghua" }?.level == .red)
        #expect(try harness.alerts(ControlDirectiveIssued.self).first { $0.entityId == "E-new" }?.level == .red)
    }

    @Test func withdrawingTheOrderReturnsEachDistrictToItsForecast() throws {
        let harness = try knownDistricts()
        try harness.send(order(.orange, at: cst("2026-07-10", 12)), at: cst("2026-07-10", 12, 1))
        try harness.send(order(nil, at: cst("2026-07-10", 18)), at: cst("2026-07-10", 18, 1))
        #expect(try events(harness, district: "jinjiang").suffix(2) == ["AlertLifted", "ControlDirectiveWithdrawn"])
        let wuhou = try events(harness, district: "wuhou")
        #expect(wuhou == ["AlertIssued", "AlertUpgraded", "AlertDowngraded"])
        #expect(try harness.alerts(AlertDowngraded.self).first?.level == .yellow)
        #expect(try harness.count("SELECT COUNT(*) FROM air_city_order WHERE level IS NULL") == 1)
    }

    @Test func anOlderOrderArrivingLaterIsIgnoredInEveryDistrict() throws {
        let harness = try knownDistricts()
        try harness.send(order(.orange, at: cst("2026-07-10", 12)), at: cst("2026-07-10", 12, 1))
        let before = try harness.alertTypes()
        try harness.send(order(.red, at: cst("2026-07-10", 11)), at: cst("2026-07-10", 12, 2))
        #expect(try harness.alertTypes() == before)
        let kinds = try harness.read { try DistrictRecords.history($0, district: "jinjiang", limit: 10).map(\.kind) }
        #expect(kinds == ["issued", "ignored-out-of-order"])
        #expect(try harness.read { try DistrictRecords.cityOrder($0)?.order.level } == .orange)
    }

    @Test func anInvalidOrderIsRefused() throws {
        let harness = try knownDistricts()
        try harness.send(SetCityAlertLevel(city: "", level: .red, reason: "x", issuedAt: Timestamp(cst("2026-07-10", 12))),
                         at: cst("2026-07-10", 12, 1))
        #expect(try harness.alerts(CommandRejected.self).first?.code == "invalid-field")
        #expect(try harness.deadLetters().count == 1)
    }
}
