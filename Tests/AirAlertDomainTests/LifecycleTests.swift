import Foundation
import Testing
@testable import AirAlertDomain

@Suite struct LifecycleTests {
    let rules = AlertLifecycleRules()

    /// The forecast revisions of one episode: issue, upgrade, downgrade, lift.
    @Test func issueUpgradeDowngradeLift() throws {
        var state = DistrictAlertState(district: "wuhou")

        let issued = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-10", 10), start: "2026-07-10",
                                                        [100, 120, 160, 170, 180, 120, 100])), rules: rules)
        #expect(issued.decisions == [.issued(AlertNotice(
            alertId: "wuhou-1", district: "wuhou", level: .yellow, startsOn: day("2026-07-12"),
            endsOn: day("2026-07-14"), late: false,
            reason: "IAQI > 150 forecast on 3 consecutive days 2026-07-12..2026-07-14", forecastId: "f1"))])

        let upgraded = try state.apply(.forecast(forecast("f2", issued: cst("2026-07-11", 10), start: "2026-07-11",
                                                          [130, 170, 210, 180, 160, 100, 90])), rules: rules)
        #expect(upgraded.decisions == [.upgraded(AlertNotice(
            alertId: "wuhou-1", district: "wuhou", level: .orange, startsOn: day("2026-07-12"),
            endsOn: day("2026-07-15"), late: false,
            reason: "IAQI > 150 forecast on 4 consecutive days 2026-07-12..2026-07-15, > 200 on 2026-07-13",
            forecastId: "f2"))])

        let downgraded = try state.apply(.forecast(forecast("f3", issued: cst("2026-07-12", 10), start: "2026-07-12",
                                                            [170, 160, 155, 120, 100])), rules: rules)
        #expect(downgraded.decisions.map(\.kind) == ["downgraded"])
        #expect(downgraded.decisions.first?.notice?.level == .yellow)
        #expect(downgraded.decisions.first?.notice?.endsOn == day("2026-07-14"))

        let lifted = try state.apply(.forecast(forecast("f4", issued: cst("2026-07-13", 10), start: "2026-07-13",
                                                        [140, 120, 100])), rules: rules)
        #expect(lifted.decisions == [.lifted(AlertLift(
            alertId: "wuhou-1", district: "wuhou",
            reason: "IAQI <= 150 forecast for 62 h from 2026-07-13T10:00+08:00 through 2026-07-15 (forecast f4)",
            forecastId: "f4"))])
        #expect(state.active == nil)
    }

    @Test func aWarningLessThan24HoursAheadIsIssuedLate() throws {
        var state = DistrictAlertState(district: "wuhou")
        let outcome = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-11", 10), start: "2026-07-11",
                                                         [100, 160, 170, 180])), rules: rules)
        #expect(outcome.decisions.first?.notice?.late == true)
        #expect(outcome.decisions.first?.notice?.startsOn == day("2026-07-12"))
    }

    @Test func exactly24HoursAheadIsNotLate() throws {
        var state = DistrictAlertState(district: "wuhou")
        let outcome = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-11", 0), start: "2026-07-11",
                                                         [100, 160, 170, 180])), rules: rules)
        #expect(outcome.decisions.first?.notice?.late == false)
    }

    @Test func anEpisodeStartingTodayIsLate() throws {
        var state = DistrictAlertState(district: "wuhou")
        let outcome = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-12", 6), start: "2026-07-12",
                                                         [160, 170, 180])), rules: rules)
        #expect(outcome.decisions.first?.notice?.startsOn == day("2026-07-12"))
        #expect(outcome.decisions.first?.notice?.late == true)
    }

    /// One clean day between two runs: the alert is extended, not re-issued.
    @Test func backToBackEpisodesMergeIntoOneAlert() throws {
        var state = try issuedYellow()
        let outcome = try state.apply(.forecast(forecast("f5", issued: cst("2026-07-13", 10), start: "2026-07-13",
                                                         [170, 180, 120, 160, 170, 175, 100])), rules: rules)
        #expect(outcome.decisions == [.revised(AlertNotice(
            alertId: "wuhou-1", district: "wuhou", level: .yellow, startsOn: day("2026-07-12"),
            endsOn: day("2026-07-18"), late: false,
            reason: "IAQI > 150 forecast on 3 consecutive days 2026-07-16..2026-07-18; "
                + "exceeding days 2026-07-13..2026-07-18 form one episode",
            forecastId: "f5"))])
        #expect(state.alertsIssued == 1)
    }

    /// A forecast that first shows the merge in one go issues one alert over both runs.
    @Test func runsOneCleanDayApartAreOneEpisodeFromTheStart() throws {
        var state = DistrictAlertState(district: "wuhou")
        let outcome = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-10", 10), start: "2026-07-11",
                                                         [160, 170, 180, 100, 160, 170])), rules: rules)
        #expect(outcome.decisions.first?.notice?.startsOn == day("2026-07-11"))
        #expect(outcome.decisions.first?.notice?.endsOn == day("2026-07-16"))
    }

    /// Two clean days (48 h) between runs: the first alert is lifted and a new one issued.
    @Test func episodesTwoCleanDaysApartAreSeparateAlerts() throws {
        var state = try issuedYellow()
        let outcome = try state.apply(.forecast(forecast("f6", issued: cst("2026-07-13", 0, 30), start: "2026-07-13",
                                                         [120, 130, 170, 180, 190, 100])), rules: rules)
        #expect(outcome.decisions.map(\.kind) == ["lifted", "issued"])
        #expect(outcome.decisions.map(\.alertId) == ["wuhou-1", "wuhou-2"])
        #expect(outcome.decisions.last?.notice?.startsOn == day("2026-07-15"))
        #expect(outcome.decisions.last?.notice?.late == false)
    }

    /// The lift needs 36 h of forecast clean time from the issue instant: at 14:00, today and
    /// tomorrow clean cover 34 h only, so the alert stays and runs to the next exceeding days.
    @Test func cleanTimeIsCountedFromTheIssueInstant() throws {
        var state = try issuedYellow()
        let outcome = try state.apply(.forecast(forecast("f6", issued: cst("2026-07-13", 14), start: "2026-07-13",
                                                         [120, 130, 170, 180, 190, 100])), rules: rules)
        #expect(outcome.decisions.map(\.kind) == ["revised"])
        #expect(outcome.decisions.first?.notice?.endsOn == day("2026-07-17"))
    }

    @Test func theTailOfAnEpisodeKeepsTheLevelUntilTheLift() throws {
        var state = DistrictAlertState(district: "wuhou")
        _ = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-10", 10), start: "2026-07-10",
                                               [100, 210, 220, 230, 240, 100, 100])), rules: rules)
        #expect(state.active?.level == .red)
        let tail = try state.apply(.forecast(forecast("f2", issued: cst("2026-07-13", 10), start: "2026-07-13",
                                                      [230, 240, 100, 100, 100])), rules: rules)
        #expect(tail.decisions.isEmpty)
        #expect(state.active?.level == .red)
        let end = try state.apply(.forecast(forecast("f3", issued: cst("2026-07-15", 10), start: "2026-07-15",
                                                     [100, 100, 100])), rules: rules)
        #expect(end.decisions.map(\.kind) == ["lifted"])
    }

    @Test func aWarningNotYetInEffectIsWithdrawnWhenTheForecastNoLongerCallsForIt() throws {
        var state = try issuedYellow()
        let outcome = try state.apply(.forecast(forecast("f2", issued: cst("2026-07-11", 10), start: "2026-07-11",
                                                         [100, 160, 170, 100, 100])), rules: rules)
        #expect(outcome.decisions == [.lifted(AlertLift(
            alertId: "wuhou-1", district: "wuhou",
            reason: "forecast f2 no longer calls for a warning; withdrawn before 2026-07-12", forecastId: "f2"))])
    }

    @Test func aWarningNotYetInEffectMovesWithTheForecast() throws {
        var state = try issuedYellow()
        let outcome = try state.apply(.forecast(forecast("f2", issued: cst("2026-07-10", 20), start: "2026-07-11",
                                                         [160, 170, 180, 120])), rules: rules)
        #expect(outcome.decisions.map(\.kind) == ["revised"])
        let notice = try #require(outcome.decisions.first?.notice)
        #expect((notice.startsOn, notice.endsOn) == (day("2026-07-11"), day("2026-07-13")))
        #expect(notice.late == true) // 20:00 is less than 24 h before 2026-07-11 00:00
    }

    @Test func anOlderForecastIsIgnoredAsOutOfOrder() throws {
        var state = try issuedYellow()
        let before = state
        let outcome = try state.apply(.forecast(forecast("f0", issued: cst("2026-07-09", 10), start: "2026-07-09",
                                                         [100, 100, 100, 100, 100])), rules: rules)
        #expect(outcome.decisions.isEmpty)
        #expect(outcome.ignored?.code == "out-of-order")
        #expect(outcome.ignored?.reason == "forecast f0 was issued at 2026-07-09T10:00+08:00, before the "
            + "applied forecast f1 of 2026-07-10T10:00+08:00")
        #expect(state == before)
    }

    @Test func theSameForecastTwiceIsADuplicate() throws {
        var state = try issuedYellow()
        let again = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-10", 10), start: "2026-07-10",
                                                       [100, 120, 160, 170, 180, 120, 100])), rules: rules)
        #expect(again.ignored?.code == "duplicate")
    }

    @Test func anotherDistrictsForecastIsRefused() throws {
        var state = DistrictAlertState(district: "wuhou")
        #expect(throws: AirAlertError.self) {
            try state.apply(.forecast(forecast("f1", issued: cst("2026-07-10", 10), start: "2026-07-10",
                                               [160, 170, 180], district: "jinjiang")))
        }
    }

    @Test func stateSurvivesAStoreAndReload() throws {
        let state = try issuedYellow()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let restored = try JSONDecoder().decode(DistrictAlertState.self, from: encoder.encode(state))
        #expect(restored == state)
    }

    /// wuhou-1, yellow, 2026-07-12..2026-07-14, issued 2026-07-10 10:00 by forecast f1.
    private func issuedYellow() throws -> DistrictAlertState {
        var state = DistrictAlertState(district: "wuhou")
        _ = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-10", 10), start: "2026-07-10",
                                               [100, 120, 160, 170, 180, 120, 100])), rules: rules)
        return state
    }
}
