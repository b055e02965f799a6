import Foundation
import Testing
@testable import AirAlertDomain

@Suite struct CityOrderTests {
    let rules = AlertLifecycleRules()

    func order(_ id: String, _ level: AlertLevel?, at time: Date) -> AlertInput {
        .cityOrder(try! CityLevelOrder(orderId: id, level: level, reason: "city-wide ozone episode", issuedAt: time))
    }

    @Test func aCityOrderIssuesAnAlertEffectiveTodayAndItsWithdrawalLiftsIt() throws {
        var state = DistrictAlertState(district: "wuhou")
        let issued = try state.apply(order("c1", .orange, at: cst("2026-07-20", 9)), rules: rules)
        #expect(issued.decisions == [.issued(AlertNotice(
            alertId: "wuhou-1", district: "wuhou", level: .orange, startsOn: day("2026-07-20"),
            endsOn: day("2026-07-20"), late: false, reason: "city order c1: city-wide ozone episode",
            forecastId: "c1"))])

        let lifted = try state.apply(order("c2", nil, at: cst("2026-07-20", 18)), rules: rules)
        #expect(lifted.decisions == [.lifted(AlertLift(
            alertId: "wuhou-1", district: "wuhou",
            reason: "city order withdrawn and no forecast calls for a warning", forecastId: "c2"))])
    }

    @Test func aCityLevelBelowTheForecastsChangesNothing() throws {
        var state = try orangeAlert()
        let outcome = try state.apply(order("c1", .yellow, at: cst("2026-07-12", 9)), rules: rules)
        #expect(outcome.decisions.isEmpty)
        #expect(state.active?.level == .orange)
    }

    @Test func aCityLevelAboveTheForecastsUpgradesAndItsWithdrawalFallsBack() throws {
        var state = try orangeAlert()
        let up = try state.apply(order("c1", .red, at: cst("2026-07-12", 9)), rules: rules)
        #expect(up.decisions.map(\.kind) == ["upgraded"])
        #expect(up.decisions.first?.notice?.level == .red)
        #expect(up.decisions.first?.notice?.reason == "city order c1: city-wide ozone episode")

        let back = try state.apply(order("c2", nil, at: cst("2026-07-12", 12)), rules: rules)
        #expect(back.decisions.map(\.kind) == ["downgraded"])
        #expect(back.decisions.first?.notice?.level == .orange)
    }

    @Test func aCityOrderHoldsAnAlertTheForecastWouldLift() throws {
        var state = try orangeAlert()
        _ = try state.apply(order("c1", .yellow, at: cst("2026-07-12", 9)), rules: rules)
        let clean = try state.apply(.forecast(forecast("f2", issued: cst("2026-07-13", 8), start: "2026-07-13",
                                                       [100, 100, 100, 100])), rules: rules)
        #expect(clean.decisions.map(\.kind) == ["downgraded"])
        #expect(clean.decisions.first?.notice?.level == .yellow)
        #expect(state.active != nil)

        let withdrawn = try state.apply(order("c2", nil, at: cst("2026-07-13", 9)), rules: rules)
        #expect(withdrawn.decisions.map(\.kind) == ["lifted"])
    }

    @Test func aCityOrderBringsAnAnnouncedAlertForward() throws {
        var state = DistrictAlertState(district: "wuhou")
        _ = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-10", 10), start: "2026-07-10",
                                               [100, 120, 160, 170, 180, 120])), rules: rules)
        // 14:00: the episode from 07-12 is 34 h away, within the 36 h lift horizon.
        let outcome = try state.apply(order("c1", .yellow, at: cst("2026-07-10", 14)), rules: rules)
        #expect(outcome.decisions.map(\.kind) == ["revised"])
        #expect(outcome.decisions.first?.notice?.startsOn == day("2026-07-10"))
        #expect(outcome.decisions.first?.notice?.endsOn == day("2026-07-14"))
    }

    @Test func aDistantForecastEpisodeDoesNotRaiseACityOrderedAlertUntilItComesNear() throws {
        var state = DistrictAlertState(district: "wuhou")
        let city = try state.apply(order("c1", .yellow, at: cst("2026-07-20", 9)), rules: rules)
        #expect(city.decisions.map(\.kind) == ["issued"])
        #expect(city.decisions.first?.notice?.endsOn == day("2026-07-20"))

        let distant = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-20", 10), start: "2026-07-20",
                                                         [100, 100, 100, 100, 210, 220, 230])), rules: rules)
        #expect(distant.decisions.isEmpty)
        #expect(state.active?.level == .yellow)

        let near = try state.apply(.forecast(forecast("f2", issued: cst("2026-07-23", 10), start: "2026-07-23",
                                                      [100, 210, 220, 230])), rules: rules)
        #expect(near.decisions.map(\.kind) == ["upgraded"])
        #expect(near.decisions.first?.notice?.level == .red)
        #expect(near.decisions.first?.notice?.endsOn == day("2026-07-26"))
    }

    @Test func olderAndRepeatedCityOrdersAreIgnored() throws {
        var state = DistrictAlertState(district: "wuhou")
        _ = try state.apply(order("c2", .yellow, at: cst("2026-07-20", 9)), rules: rules)
        #expect(try state.apply(order("c1", nil, at: cst("2026-07-20", 8)), rules: rules).ignored?.code == "out-of-order")
        #expect(try state.apply(order("c2", .yellow, at: cst("2026-07-20", 9)), rules: rules).ignored?.code == "duplicate")
        #expect(state.active?.level == .yellow)
    }

    /// wuhou-1, orange 2026-07-12..2026-07-15, from forecast f1 of 2026-07-11 10:00.
    private func orangeAlert() throws -> DistrictAlertState {
        var state = DistrictAlertState(district: "wuhou")
        _ = try state.apply(.forecast(forecast("f1", issued: cst("2026-07-11", 10), start: "2026-07-11",
                                               [130, 170, 210, 180, 160, 100, 90])), rules: rules)
        return state
    }
}
