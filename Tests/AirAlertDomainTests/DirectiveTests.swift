import Foundation
import Testing
@testable import AirAlertDomain

@Suite struct DirectiveTests {
    let enterprises = [
        Enterprise(entityId: "e1-chem", district: "wuhou", sector: .chemicals, vocEmitter: true, greenBenchmark: false),
        Enterprise(entityId: "e2-furniture-green", district: "wuhou", sector: .furniture, vocEmitter: true, greenBenchmark: true),
        Enterprise(entityId: "e3-power", district: "wuhou", sector: .power, vocEmitter: false, greenBenchmark: false),
        Enterprise(entityId: "e4-site", district: "wuhou", sector: .construction, vocEmitter: false, greenBenchmark: false),
        Enterprise(entityId: "e5-site-green", district: "wuhou", sector: .construction, vocEmitter: false, greenBenchmark: true),
        Enterprise(entityId: "e6-investor", district: "wuhou", sector: .investor, vocEmitter: false, greenBenchmark: false),
        Enterprise(entityId: "e7-elsewhere", district: "jinjiang", sector: .printing, vocEmitter: true, greenBenchmark: false),
    ]

    func notice(_ level: AlertLevel) -> AlertNotice {
        AlertNotice(alertId: "wuhou-1", district: "wuhou", level: level, startsOn: day("2026-07-12"),
                    endsOn: day("2026-07-14"), late: false, reason: "test", forecastId: "f1")
    }

    @Test func yellowTargetsVOCEmittersAndSitesAndExemptsGreenBenchmarks() {
        var ledger = DirectiveLedger(district: "wuhou")
        let plan = ledger.apply(.issued(notice(.yellow)), enterprises: enterprises.reversed())
        #expect(plan.withdrawn.isEmpty)
        #expect(plan.issued.map(\.entityId) == ["e1-chem", "e2-furniture-green", "e4-site", "e5-site-green"])
        let byEntity = Dictionary(uniqueKeysWithValues: plan.issued.map { ($0.entityId, $0) })
        #expect(byEntity["e1-chem"]?.measures == MeasureTable.defaults.yellow.vocEmitters.standard)
        #expect(byEntity["e1-chem"]?.exempt == false)
        #expect(byEntity["e1-chem"]?.directiveId == "wuhou-1/yellow/e1-chem")
        #expect(byEntity["e4-site"]?.measures == ["No outdoor painting, asphalt paving or road-marking work 8:00-18:00"])
        #expect(byEntity["e2-furniture-green"]?.exempt == true)
        #expect(byEntity["e2-furniture-green"]?.measures == [])
        #expect(byEntity["e5-site-green"]?.exempt == true)
        #expect(ledger.active == plan.issued)
    }

    @Test func greenBenchmarksGetLighterMeasuresAtOrangeAndRed() throws {
        for level in [AlertLevel.orange, .red] {
            let table = MeasureTable.defaults.measures(at: level)
            let green = try #require(MeasureTable.defaults.directive(for: enterprises[1], alertId: "a", level: level))
            let full = try #require(MeasureTable.defaults.directive(for: enterprises[0], alertId: "a", level: level))
            #expect(green.exempt == false)
            #expect(green.measures == table.vocEmitters.greenBenchmark)
            #expect(full.measures == table.vocEmitters.standard)
            #expect(green.measures != full.measures)
        }
    }

    @Test func nonVOCEnterprisesAreSkippedWhenTheTableSaysSo() {
        for level in AlertLevel.allCases {
            #expect(MeasureTable.defaults.directive(for: enterprises[2], alertId: "a", level: level) == nil)
            #expect(MeasureTable.defaults.directive(for: enterprises[5], alertId: "a", level: level) == nil)
        }
    }

    @Test func aTableCanTargetOtherEnterprises() throws {
        var table = MeasureTable.defaults
        table.red.otherEnterprises = .init(standard: ["Report hourly emissions"], greenBenchmark: nil)
        let power = try #require(table.directive(for: enterprises[2], alertId: "a", level: .red))
        #expect(power.measures == ["Report hourly emissions"])
        #expect(table.directive(for: enterprises[2], alertId: "a", level: .orange) == nil)
    }

    @Test func aVOCEmittingSiteGetsBothListsOnce() throws {
        let site = Enterprise(entityId: "s", district: "wuhou", sector: .construction, vocEmitter: true, greenBenchmark: false)
        let d = try #require(MeasureTable.defaults.directive(for: site, alertId: "a", level: .red))
        let red = MeasureTable.defaults.red
        #expect(Set(d.measures) == Set(red.constructionSites.standard + red.vocEmitters.standard))
        #expect(d.measures.count == Set(d.measures).count)
    }

    @Test func anUpgradeSupersedesAndALiftWithdraws() {
        var ledger = DirectiveLedger(district: "wuhou")
        let yellow = ledger.apply(.issued(notice(.yellow)), enterprises: enterprises)
        let orange = ledger.apply(.upgraded(notice(.orange)), enterprises: enterprises)
        #expect(orange.issued.map(\.directiveId) == ["wuhou-1/orange/e1-chem", "wuhou-1/orange/e2-furniture-green",
                                                     "wuhou-1/orange/e4-site", "wuhou-1/orange/e5-site-green"])
        #expect(orange.withdrawn.map(\.directiveId) == yellow.issued.map(\.directiveId))

        let revised = ledger.apply(.revised(notice(.orange)), enterprises: enterprises)
        #expect(revised == DirectivePlan(issued: [], withdrawn: []))

        let lift = AlertLift(alertId: "wuhou-1", district: "wuhou", reason: "clean", forecastId: "f9")
        let lifted = ledger.apply(.lifted(lift), enterprises: enterprises)
        #expect(lifted.issued.isEmpty)
        #expect(lifted.withdrawn.map(\.directiveId) == orange.issued.map(\.directiveId))
        #expect(lifted.withdrawn.first?.reason == "alert wuhou-1 lifted: clean")
        #expect(ledger.active.isEmpty)
    }

    @Test func theMeasureTableLoadsFromJSON() throws {
        let data = try JSONEncoder().encode(MeasureTable.defaults)
        #expect(try MeasureTable.load(json: data) == .defaults)
        let custom = """
        {"yellow": {"vocEmitters": {"standard": ["A"]}, "constructionSites": {"standard": []},
                    "otherEnterprises": {"standard": []}},
         "orange": {"vocEmitters": {"standard": ["B"], "greenBenchmark": ["b"]}, "constructionSites": {"standard": []},
                    "otherEnterprises": {"standard": []}},
         "red": {"vocEmitters": {"standard": ["C"], "greenBenchmark": []}, "constructionSites": {"standard": ["S"]},
                 "otherEnterprises": {"standard": ["O"]}}}
        """
        let table = try MeasureTable.load(json: Data(custom.utf8))
        #expect(table.yellow.vocEmitters.greenBenchmark == nil)
        #expect(table.directive(for: enterprises[1], alertId: "a", level: .red)?.exempt == true)
        #expect(throws: (any Error).self) { try MeasureTable.load(json: Data("{}".utf8)) }
    }
}
