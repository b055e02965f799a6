import Foundation
import Testing
import RegistryDomain

@Suite struct AllocationRulesTests {
    @Test func shippedJSONDecodesToTheShippedValue() throws {
        let loaded = try AllocationRules.load(from: Data(AllocationRules.defaultJSON.utf8))
        #expect(loaded == AllocationRules.plan2019To2020)
    }

    @Test func shippedRulesHaveNoProblems() {
        #expect(AllocationRules.plan2019To2020.problems.isEmpty)
    }

    @Test func rulesRoundTripThroughJSON() throws {
        let json = try JSONEncoder().encode(AllocationRules.plan2019To2020)
        #expect(try AllocationRules.load(from: json) == AllocationRules.plan2019To2020)
    }

    @Test func refusesRulesMissingACategory() throws {
        var rules = AllocationRules.plan2019To2020
        rules.categories[.gas] = nil
        let json = try JSONEncoder().encode(rules)
        #expect(throws: RegistryRefusal(code: "invalid-allocation-rules", reason: "no benchmarks for unit category gas")) {
            try AllocationRules.load(from: json)
        }
    }

    @Test func refusesALoadTableThatDoesNotReachZero() {
        var rules = AllocationRules.plan2019To2020
        rules.loadFactor.bands.removeLast()
        #expect(rules.problems == ["the last load-factor band must start at 0 so every load rate is covered"])
    }

    @Test func refusesUnorderedLoadBands() {
        var rules = AllocationRules.plan2019To2020
        rules.loadFactor.bands.swapAt(0, 1)
        #expect(rules.problems.contains("load-factor bands must be ordered by strictly decreasing minLoadRate"))
    }

    @Test func refusesAPreAllocationShareAboveOne() {
        var rules = AllocationRules.plan2019To2020
        rules.preAllocationShare = 2
        #expect(rules.problems == ["preAllocationShare must be within (0, 1], got 2"])
    }

    @Test func refusesMalformedJSON() {
        #expect(throws: RegistryRefusal.self) { try AllocationRules.load(from: Data("{}".utf8)) }
    }

    @Test func picksTheLatestVersionInForceOnADay() {
        var later = AllocationRules.plan2019To2020
        later.version = "cn-power-2021-2022"
        later.effectiveDate = CalendarDay(year: 2021, month: 1, day: 1) ?? later.effectiveDate
        let versions = [later, .plan2019To2020]
        #expect(AllocationRules.effective(on: CalendarDay(year: 2020, month: 12, day: 31)!, among: versions)?.version
                == "cn-power-2019-2020-v1")
        #expect(AllocationRules.effective(on: CalendarDay(year: 2021, month: 1, day: 1)!, among: versions)?.version
                == "cn-power-2021-2022")
        #expect(AllocationRules.effective(on: CalendarDay(year: 2018, month: 6, day: 1)!, among: versions) == nil)
    }

    @Test func calendarDaysParseOnlyRealDates() {
        #expect(CalendarDay("2020-02-29")?.description == "2020-02-29")
        #expect(CalendarDay("2021-02-29") == nil)
        #expect(CalendarDay("2021-2-01") == nil)
        #expect(CalendarDay("2021-13-01") == nil)
        #expect(CalendarDay("2021-12-31x") == nil)
        #expect(CalendarDay("1900-02-29") == nil)
        #expect(CalendarDay("2000-02-29") != nil)
    }
}
