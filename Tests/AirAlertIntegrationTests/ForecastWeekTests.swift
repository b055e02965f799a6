import Contract
import EcoTestKit
import Foundation
import Testing

/// A week of daily forecasts for three districts through the broker and the real executable.
@Suite("Air alerts over the broker", .serialized)
struct ForecastWeekTests {
    static let week = ["2026-07-10", "2026-07-11", "2026-07-12", "2026-07-13", "2026-07-14", "2026-07-15", "2026-07-16"]

    /// wuhou: yellow, orange, yellow, lifted, then clean. jinjiang: clean all week. qingyang:
    /// clean, then an episode forecast on its first day (a late warning), lifted two days later.
    static let forecasts: [String: [[Int64]]] = [
        "wuhou": [[100, 120, 160, 170, 180, 120, 100], [130, 170, 210, 180, 160, 100, 90], [170, 160, 155, 120, 100],
                  [140, 120, 100], [110, 100, 100], [100, 100, 100], [100, 120, 130]],
        "jinjiang": Array(repeating: [100, 110, 120, 130, 140], count: 7),
        "qingyang": [[100, 110, 120], [100, 110, 120], [100, 110, 120], [100, 110, 120], [160, 170, 180, 120, 100],
                     [170, 180, 120, 100], [120, 100, 100]],
    ]

    static let enterprises: [EntityProfile] = [
        enterprise("W-voc", district: "wuhou", sector: .chemicals, voc: true),
        enterprise("W-green", district: "wuhou", sector: .furniture, voc: true, green: true),
        enterprise("W-site", district: "wuhou", sector: .construction),
        enterprise("W-power", district: "wuhou", sector: .power),
        enterprise("J-voc", district: "jinjiang", sector: .printing, voc: true),
        enterprise("Q-voc", district: "qingyang", sector: .chemicals, voc: true),
    ]

    @Test func aWeekOfForecastsIssuesUpgradesDowngradesAndLiftsPerDistrict() async throws {
        let fixture = try await AirAlertFixture()
        defer { fixture.stop() }
        for profile in Self.enterprises {
            try await fixture.writer.send(registered(profile), to: .registryEvents)
        }
        try await fixture.awaitApplied(Self.enterprises.count)
        for (index, date) in Self.week.enumerated() {
            for district in ["wuhou", "jinjiang", "qingyang"] {
                let days = Self.forecasts[district]?[index] ?? []
                try await fixture.writer.send(forecast("\(district)-\(date)", district, issued: cst(date, 10), start: date, days),
                                              to: .airObservations, source: "forecaster")
            }
        }
        try await fixture.alerts.await(AlertLifted.self) { $0.district == "qingyang" }
        let wuhouLifted = try await fixture.alerts.await(AlertLifted.self) { $0.district == "wuhou" }
        let liftingForecast = try #require(wuhouLifted.forecastId, "AlertLifted names the forecast that lifted it")
        #expect(Self.week.map { "wuhou-\($0)" }.contains(liftingForecast), "\(liftingForecast)")
        _ = try await fixture.awaitAdmin("/districts/jinjiang") {
            ($0["latestForecast"] as? [String: Any])?["forecastId"] as? String == "jinjiang-2026-07-16"
        }
        try await fixture.alerts.awaitCount(26) { $0.envelope != nil }

        let alertTypes: Set = ["AlertIssued", "AlertUpgraded", "AlertDowngraded", "AlertRevised", "AlertLifted"]
        #expect(fixture.types(of: "wuhou").filter(alertTypes.contains)
                == ["AlertIssued", "AlertUpgraded", "AlertDowngraded", "AlertLifted"])
        #expect(fixture.types(of: "jinjiang").isEmpty)
        #expect(fixture.types(of: "qingyang") == ["AlertIssued", "ControlDirectiveIssued", "AlertLifted",
                                                  "ControlDirectiveWithdrawn"])
        let qingyang = try #require(fixture.alerts.payloads(AlertIssued.self).first { $0.district == "qingyang" })
        #expect(qingyang.late)
        #expect(qingyang.startsOn == CivilDate(year: 2026, month: 7, day: 14))

        // Directives: VOC emitters and sites, green benchmarks marked exempt at yellow, no one else.
        let directives = fixture.alerts.payloads(ControlDirectiveIssued.self)
        #expect(Set(directives.map(\.entityId)) == ["W-voc", "W-green", "W-site", "Q-voc"])
        let greenYellow = directives.filter { $0.entityId == "W-green" && $0.level == .yellow }
        #expect(!greenYellow.isEmpty && greenYellow.allSatisfy { $0.exempt && $0.measures.isEmpty })
        let greenOrange = try #require(directives.first { $0.entityId == "W-green" && $0.level == .orange })
        #expect(!greenOrange.exempt && !greenOrange.measures.isEmpty)
        let vocOrange = try #require(directives.first { $0.entityId == "W-voc" && $0.level == .orange })
        #expect(vocOrange.measures.count > greenOrange.measures.count)
        let issuedIds = Set(directives.map(\.directiveId))
        let withdrawnIds = Set(fixture.alerts.payloads(ControlDirectiveWithdrawn.self).map(\.directiveId))
        #expect(issuedIds == withdrawnIds) // everything issued was withdrawn by the end of the week

        let districts = try #require(try await fixture.admin("/districts")["districts"] as? [[String: Any]])
        #expect(districts.map { $0["district"] as? String } == ["jinjiang", "qingyang", "wuhou"])
        #expect(districts.allSatisfy { $0["level"] == nil })
        let wuhou = try await fixture.admin("/districts/wuhou")
        #expect((wuhou["history"] as? [[String: Any]])?.map { $0["kind"] as? String }
                == ["issued", "upgraded", "downgraded", "lifted"])
        let (status, body) = try await fixture.service.admin("/directives")
        #expect(status == 200)
        #expect((try JSONSerialization.jsonObject(with: body) as? [Any])?.isEmpty == true)
    }

    @Test func theLifecycleSurvivesAKillAndRestartWithoutRepeatingDecisions() async throws {
        let fixture = try await AirAlertFixture()
        defer { fixture.stop() }
        try await fixture.writer.send(registered(enterprise("W-voc", district: "wuhou", sector: .chemicals, voc: true)),
                                      to: .registryEvents)
        try await fixture.awaitApplied(1)
        let days = Self.forecasts["wuhou"] ?? []
        try await fixture.writer.send(forecast("w1", "wuhou", issued: cst("2026-07-10", 10), start: "2026-07-10", days[0]),
                                      to: .airObservations)
        try await fixture.alerts.await(ControlDirectiveIssued.self) { $0.entityId == "W-voc" }
        fixture.service.kill9()
        try fixture.service.start()
        try await fixture.service.waitUntilReady()
        try await fixture.writer.send(forecast("w2", "wuhou", issued: cst("2026-07-11", 10), start: "2026-07-11", days[1]),
                                      to: .airObservations)
        let upgraded = try await fixture.alerts.await(AlertUpgraded.self)
        #expect(upgraded.alertId == "wuhou-1")
        try await fixture.alerts.await(ControlDirectiveIssued.self) { $0.level == .orange }
        let ids = fixture.alerts.records.compactMap(\.id)
        let issued = fixture.alerts.records.filter { $0.type == "AlertIssued" }.compactMap(\.id)
        #expect(Set(issued).count == 1)
        #expect(Set(ids).count == 5) // issued, directive, upgraded, withdrawal, orange directive
    }
}
