import Foundation
import Testing
@testable import AirAlertDomain

@Suite struct WarningRulesTests {
    let rules = WarningRules.chengdu2021

    @Test func threeDaysAbove150IsYellow() throws {
        let w = try #require(rules.assess(series("2026-07-14", [120, 151, 160, 170, 140])))
        #expect(w.level == .yellow)
        #expect(w.firstDay == day("2026-07-15"))
        #expect(w.lastDay == day("2026-07-17"))
        #expect(w.reason == "IAQI > 150 forecast on 3 consecutive days 2026-07-15..2026-07-17")
    }

    @Test func twoDaysAbove150IsNothing() {
        #expect(rules.assess(series("2026-07-14", [160, 170, 140, 160, 170])) == nil)
    }

    @Test func exactly150DoesNotCount() {
        #expect(rules.assess(series("2026-07-14", [160, 150, 170, 180])) == nil)
        #expect(rules.assess(series("2026-07-14", [150, 150, 150, 150])) == nil)
    }

    @Test func fourDaysWithOneAbove200IsOrange() throws {
        let w = try #require(rules.assess(series("2026-07-14", [160, 210, 170, 155])))
        #expect(w.level == .orange)
        #expect(w.firstDay == day("2026-07-14"))
        #expect(w.lastDay == day("2026-07-17"))
        #expect(w.reason == "IAQI > 150 forecast on 4 consecutive days 2026-07-14..2026-07-17, > 200 on 2026-07-15")
    }

    @Test func fourDaysWithNoneAbove200IsYellow() throws {
        #expect(try #require(rules.assess(series("2026-07-14", [160, 200, 170, 155]))).level == .yellow)
    }

    @Test func threeDaysWithOneAbove200IsOnlyYellow() throws {
        #expect(try #require(rules.assess(series("2026-07-14", [160, 250, 170]))).level == .yellow)
    }

    @Test func exactly200OnOneDayIsNotAPeak() throws {
        #expect(try #require(rules.assess(series("2026-07-14", [160, 200, 170, 180]))).level == .yellow)
    }

    @Test func threeDaysAbove200IsRed() throws {
        let w = try #require(rules.assess(series("2026-07-14", [160, 201, 250, 300, 170])))
        #expect(w.level == .red)
        #expect(w.firstDay == day("2026-07-15"))
        #expect(w.lastDay == day("2026-07-17"))
        #expect(w.reason == "IAQI > 200 forecast on 3 consecutive days 2026-07-15..2026-07-17")
    }

    @Test func twoDaysAbove200AmongFourAbove150IsOrangeNotRed() throws {
        #expect(try #require(rules.assess(series("2026-07-14", [160, 210, 220, 170]))).level == .orange)
    }

    @Test func highestLevelWinsAndEveryEpisodeIsListed() throws {
        let days = series("2026-07-10", [160, 170, 180, 100, 210, 220, 230, 100])
        #expect(rules.episodes(in: days).map(\.level) == [.yellow, .yellow, .red])
        #expect(try #require(rules.assess(days)).firstDay == day("2026-07-14"))
    }

    @Test func aMissingDayBreaksARun() {
        let gap = [DayIndex(date: day("2026-07-14"), iaqi: 180), DayIndex(date: day("2026-07-15"), iaqi: 180),
                   DayIndex(date: day("2026-07-17"), iaqi: 180)]
        #expect(rules.assess(gap) == nil)
    }

    @Test func forecastDaysConvertConcentrationsWithTheEditionInForce() throws {
        let standards = AQIStandard.builtIn
        // 8-hour max 216 ug/m3 -> IAQI 151.
        #expect(try ForecastDay(date: day("2026-07-14"), o3EightHourMax: ug(216)).dailyIAQI(standards: standards) == 151)
        // Both given: the larger.
        #expect(try ForecastDay(date: day("2026-07-14"), o3EightHourMax: ug(216), iaqi: 140).dailyIAQI(standards: standards) == 151)
        #expect(try ForecastDay(date: day("2026-07-14"), o3EightHourMax: ug(100), iaqi: 160).dailyIAQI(standards: standards) == 160)
        // Above 800: 2012 falls back to the 1-hour index of the same value (a lower bound), 2026 caps at 300.
        #expect(try ForecastDay(date: day("2025-07-14"), o3EightHourMax: ug(900)).dailyIAQI(standards: standards) == 350)
        #expect(try ForecastDay(date: day("2026-07-14"), o3EightHourMax: ug(900)).dailyIAQI(standards: standards) == 300)
    }

    @Test func forecastsAreValidated() {
        #expect(throws: AirAlertError.self) { try ForecastDay(date: day("2026-07-14")) }
        #expect(throws: AirAlertError.self) { try ForecastDay(date: day("2026-07-14"), iaqi: 501) }
        let d1 = try! ForecastDay(date: day("2026-07-14"), iaqi: 100)
        let d3 = try! ForecastDay(date: day("2026-07-16"), iaqi: 100)
        #expect(throws: AirAlertError.self) {
            try Forecast(forecastId: "f", district: "wuhou", issuedAt: cst("2026-07-13", 8), days: [d1, d3])
        }
        #expect(throws: AirAlertError.self) {
            try Forecast(forecastId: "", district: "wuhou", issuedAt: cst("2026-07-13", 8), days: [d1])
        }
        #expect(throws: AirAlertError.self) {
            try Forecast(forecastId: "f", district: "wuhou", issuedAt: cst("2026-07-13", 8), days: [])
        }
    }

    @Test func forecastDecodesFromContractJSON() throws {
        let json = #"{"forecastId":"f-1","district":"wuhou","issuedAt":"2026-07-13T00:00:00Z","#
            + #""days":[{"date":"2026-07-14","o3EightHourMax":216},{"date":"2026-07-15","iaqi":160}]}"#
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let f = try decoder.decode(Forecast.self, from: Data(json.utf8))
        #expect(try f.dailyIndices().map(\.iaqi) == [151, 160])
        #expect(throws: (any Error).self) {
            try decoder.decode(Forecast.self, from: Data(json.replacingOccurrences(of: "2026-07-15", with: "2026-07-16").utf8))
        }
    }
}
