import AirAlertDomain
@testable import AirAlertService
import Contract
import Foundation
import Testing

/// The warning lifecycle driven by `AirQualityForecast` records through the service loop.
@Suite("Warning lifecycle over records")
struct LifecycleOverRecordsTests {
    /// The four forecasts of one episode: yellow, orange, yellow again, then clean.
    static let episode: [AirQualityForecast] = [
        forecast("f1", "wuhou", issued: cst("2026-07-10", 10), start: "2026-07-10", [100, 120, 160, 170, 180, 120, 100]),
        forecast("f2", "wuhou", issued: cst("2026-07-11", 10), start: "2026-07-11", [130, 170, 210, 180, 160, 100, 90]),
        forecast("f3", "wuhou", issued: cst("2026-07-12", 10), start: "2026-07-12", [170, 160, 155, 120, 100]),
        forecast("f4", "wuhou", issued: cst("2026-07-13", 10), start: "2026-07-13", [140, 120, 100]),
    ]

    @Test func issueUpgradeDowngradeAndLiftArePublishedKeyedByDistrict() throws {
        let harness = try Harness()
        for forecast in Self.episode {
            try harness.send(forecast, at: forecast.issuedAt.date.addingTimeInterval(60))
        }
        #expect(try harness.alertTypes() == ["AlertIssued", "AlertUpgraded", "AlertDowngraded", "AlertLifted"])
        let issued = try #require(try harness.alerts(AlertIssued.self).first)
        #expect(issued == AlertIssued(alertId: "wuhou-1", district: "wuhou", level: .yellow,
                                      startsOn: CivilDate(year: 2026, month: 7, day: 12),
                                      endsOn: CivilDate(year: 2026, month: 7, day: 14), late: false,
                                      reason: "IAQI > 150 forecast on 3 consecutive days 2026-07-12..2026-07-14",
                                      forecastId: "f1"))
        #expect(try harness.alerts(AlertUpgraded.self).first?.level == .orange)
        #expect(try harness.alerts(AlertDowngraded.self).first?.level == .yellow)
        #expect(try harness.alerts(AlertLifted.self).first?.alertId == "wuhou-1")
        #expect(try harness.outbox(.airAlerts).allSatisfy { $0.key == Data("wuhou".utf8) })
        let history = try harness.count("SELECT COUNT(*) FROM air_alert_history WHERE district = 'wuhou'")
        #expect(history == 4)
        #expect(try harness.count("SELECT COUNT(*) FROM air_districts WHERE level IS NULL") == 1)
    }

    @Test func theLifecycleStateSurvivesARestart() throws {
        let harness = try Harness()
        try harness.send(Self.episode[0], at: cst("2026-07-10", 10, 1))
        try harness.restart()
        try harness.send(Self.episode[1], at: cst("2026-07-11", 10, 1))
        #expect(try harness.alertTypes() == ["AlertIssued", "AlertUpgraded"])
        #expect(try harness.alerts(AlertUpgraded.self).first?.alertId == "wuhou-1")
    }

    @Test func aForecastOlderThanTheAppliedOneIsIgnoredAndRecorded() throws {
        let harness = try Harness()
        try harness.send(Self.episode[1], at: cst("2026-07-11", 10, 1))
        let before = try harness.alertTypes()
        try harness.send(Self.episode[0], at: cst("2026-07-11", 10, 2)) // issued a day earlier, arrives later
        #expect(try harness.alertTypes() == before)
        let kinds = try harness.read { try DistrictRecords.history($0, district: "wuhou", limit: 10).map(\.kind) }
        #expect(kinds == ["issued", "ignored-out-of-order"])
        #expect(try harness.alerts(CommandRejected.self).isEmpty)
    }

    @Test func theSameForecastIdTwiceIsADuplicate() throws {
        let harness = try Harness()
        try harness.send(Self.episode[0], at: cst("2026-07-10", 10, 1))
        try harness.send(Self.episode[0], at: cst("2026-07-10", 10, 2)) // a new envelope, the same forecast
        #expect(try harness.alertTypes() == ["AlertIssued"])
        let kinds = try harness.read { try DistrictRecords.history($0, district: "wuhou", limit: 10).map(\.kind) }
        #expect(kinds == ["issued", "ignored-duplicate"])
    }

    @Test func aForecastWithAGapIsRefusedWithAReason() throws {
        let harness = try Harness()
        var gappy = forecast("gap", "wuhou", issued: cst("2026-07-10", 10), start: "2026-07-10", [160, 170, 180])
        gappy.days[2].date = gappy.days[2].date.adding(days: 1)
        let id = try harness.send(gappy, at: cst("2026-07-10", 10, 1))
        let rejection = try #require(try harness.alerts(CommandRejected.self).first)
        #expect(rejection.commandId == id.uuidString.lowercased())
        #expect(rejection.code == "invalid-forecast")
        #expect(rejection.reason.contains("consecutive"))
        #expect(try harness.count("SELECT COUNT(*) FROM air_districts") == 0)
    }

    @Test func backToBackEpisodesPublishAnAlertRevised() throws {
        let harness = try Harness()
        try harness.send(Self.episode[0], at: cst("2026-07-10", 10, 1))
        try harness.send(forecast("f5", "wuhou", issued: cst("2026-07-11", 10), start: "2026-07-11",
                                  [120, 170, 180, 175, 120, 160, 170, 175]), at: cst("2026-07-11", 10, 1))
        #expect(try harness.alertTypes() == ["AlertIssued", "AlertRevised"])
        let revised = try #require(try harness.alerts(AlertRevised.self).first)
        #expect(revised.endsOn == CivilDate(year: 2026, month: 7, day: 18))
        #expect(revised.level == .yellow)
    }

    @Test func reprocessingTheSameRecordsGivesByteIdenticalOutputs() throws {
        let id = UUID()
        var outputs: [[Data]] = []
        for _ in 0..<2 {
            let harness = try Harness()
            try harness.send(EntityRegistered(enterprise("E-1", district: "wuhou", sector: .chemicals, voc: true)),
                             to: .registryEvents,
                             at: cst("2026-07-01", 9), id: UUID(uuidString: "11111111-1111-4111-8111-111111111111") ?? id)
            try harness.send(Self.episode[0], at: cst("2026-07-10", 10, 1), id: id)
            outputs.append(try harness.outbox(.airAlerts).map(\.value))
        }
        #expect(outputs[0].count == 2)
        #expect(outputs[0] == outputs[1])
    }

    @Test func chineseDistrictNamesGetContractValidIds() throws {
        let harness = try Harness()
        try harness.send(EntityRegistered(enterprise("E-1", district: "锦江区", sector: .printing, voc: true)),
                         to: .registryEvents, at: cst("2026-07-01", 9))
        try harness.send(forecast("f1", "锦江区", issued: cst("2026-07-10", 10), start: "2026-07-10",
                                  [100, 120, 160, 170, 180]), at: cst("2026-07-10", 10, 1))
        let events = try harness.alerts()
        #expect(events.map(\.type.rawValue) == ["AlertIssued", "ControlDirectiveIssued"])
        let issued = try #require(events[0].payload(as: AlertIssued.self))
        #expect(issued.alertId.hasPrefix("alert-"))
        #expect(issued.district == "锦江区")
        let directive = try #require(events[1].payload(as: ControlDirectiveIssued.self))
        #expect(directive.alertId == issued.alertId)
        #expect(directive.directiveId.count <= 64)
    }
}
