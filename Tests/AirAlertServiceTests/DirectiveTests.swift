import AirAlertDomain
@testable import AirAlertService
import Contract
import Foundation
import Testing

/// Control directives: who gets what at each level, and what is withdrawn when.
@Suite("Control directives over records")
struct DirectiveServiceTests {
    /// Enterprises of `wuhou` of every kind, and one VOC emitter elsewhere.
    static let enterprises: [EntityProfile] = [
        enterprise("E-voc", district: "wuhou", sector: .chemicals, voc: true),
        enterprise("E-green", district: "wuhou", sector: .furniture, voc: true, green: true),
        enterprise("E-site", district: "wuhou", sector: .construction),
        enterprise("E-power", district: "wuhou", sector: .power),
        enterprise("E-investor", district: "wuhou", sector: .investor, voc: true),
        enterprise("E-away", district: "jinjiang", sector: .printing, voc: true),
    ]

    func registered() throws -> Harness {
        let harness = try Harness()
        for profile in Self.enterprises {
            try harness.send(EntityRegistered(profile), to: .registryEvents, at: cst("2026-07-01", 9))
        }
        return harness
    }

    @Test func aYellowAlertTargetsVOCEmittersAndSitesAndMarksGreenBenchmarksExempt() throws {
        let harness = try registered()
        try harness.send(LifecycleOverRecordsTests.episode[0], at: cst("2026-07-10", 10, 1))
        let directives = try harness.alerts(ControlDirectiveIssued.self)
        #expect(directives.map(\.entityId) == ["E-green", "E-site", "E-voc"])
        #expect(directives.map(\.directiveId) == ["wuhou-1:yellow:E-green", "wuhou-1:yellow:E-site", "wuhou-1:yellow:E-voc"])
        let byEntity = Dictionary(uniqueKeysWithValues: directives.map { ($0.entityId, $0) })
        #expect(byEntity["E-green"]?.exempt == true)
        #expect(byEntity["E-green"]?.measures == [])
        #expect(byEntity["E-voc"]?.exempt == false)
        #expect(byEntity["E-voc"]?.measures == MeasureTable.defaults.yellow.vocEmitters.standard)
        #expect(byEntity["E-site"]?.measures == MeasureTable.defaults.yellow.constructionSites.standard)
        #expect(directives.allSatisfy { $0.level == .yellow && $0.alertId == "wuhou-1" && $0.district == "wuhou" })
        #expect(try harness.alertTypes().first == "AlertIssued")
    }

    @Test func anUpgradeWithdrawsTheYellowDirectivesAndIssuesLighterOrangeOnesToGreenBenchmarks() throws {
        let harness = try registered()
        try harness.send(LifecycleOverRecordsTests.episode[0], at: cst("2026-07-10", 10, 1))
        try harness.send(LifecycleOverRecordsTests.episode[1], at: cst("2026-07-11", 10, 1))
        let types = try harness.alertTypes()
        #expect(Array(types.dropFirst(4)) == ["AlertUpgraded"] + Array(repeating: "ControlDirectiveWithdrawn", count: 3)
            + Array(repeating: "ControlDirectiveIssued", count: 3))
        let withdrawn = try harness.alerts(ControlDirectiveWithdrawn.self)
        #expect(withdrawn.map(\.directiveId) == ["wuhou-1:yellow:E-green", "wuhou-1:yellow:E-site", "wuhou-1:yellow:E-voc"])
        #expect(withdrawn.allSatisfy { $0.reason.contains("orange") })
        let orange = try harness.alerts(ControlDirectiveIssued.self).filter { $0.level == .orange }
        let green = try #require(orange.first { $0.entityId == "E-green" })
        #expect(green.exempt == false)
        #expect(green.measures == MeasureTable.defaults.orange.vocEmitters.greenBenchmark)
        let active = try harness.read { try DirectiveRecords.active($0, district: "wuhou") }
        #expect(active.map(\.directiveId) == ["wuhou-1:orange:E-green", "wuhou-1:orange:E-site", "wuhou-1:orange:E-voc"])
    }

    @Test func aLiftWithdrawsEveryDirectiveOfTheAlert() throws {
        let harness = try registered()
        for forecast in LifecycleOverRecordsTests.episode {
            try harness.send(forecast, at: forecast.issuedAt.date.addingTimeInterval(60))
        }
        let lifted = try harness.alerts().drop { $0.type != "AlertLifted" }
        #expect(lifted.map(\.type.rawValue) == ["AlertLifted"] + Array(repeating: "ControlDirectiveWithdrawn", count: 3))
        #expect(try harness.read { try DirectiveRecords.active($0, district: nil) }.isEmpty)
        #expect(try harness.alerts(ControlDirectiveIssued.self).allSatisfy { $0.entityId != "E-away" })
    }

    @Test func aMeasureTableFromConfigurationIsUsed() throws {
        var table = MeasureTable.defaults
        table.yellow.otherEnterprises = MeasureTable.Measures(standard: ["Report hourly emissions"], greenBenchmark: nil)
        let harness = try Harness(configuration: AirAlertConfiguration(measures: table))
        try harness.send(EntityRegistered(enterprise("E-power", district: "wuhou", sector: .power)), to: .registryEvents,
                         at: cst("2026-07-01", 9))
        try harness.send(LifecycleOverRecordsTests.episode[0], at: cst("2026-07-10", 10, 1))
        #expect(try harness.alerts(ControlDirectiveIssued.self).map(\.measures) == [["Report hourly emissions"]])
    }

    @Test func otherRegistryEventsAreReadAndIgnored() throws {
        let harness = try Harness()
        try harness.send(AllowancesFrozen(orderId: "o-1", accountId: "E-1", instrument: .cea, quantity: 10),
                         to: .registryEvents, at: cst("2026-07-01", 9))
        try harness.send(CommandRejected(commandId: "c-1", commandType: "RegisterEntity", code: "x", reason: "y"),
                         to: .registryEvents, at: cst("2026-07-01", 9))
        #expect(try harness.deadLetters(.registryEvents).isEmpty)
        #expect(try harness.outbox(.airAlerts).isEmpty)
        #expect(harness.loop.status.snapshot.recordsIn == 2)
    }

    @Test func updatesMoveAndDeregistrationsRemoveEnterprises() throws {
        let harness = try registered()
        try harness.send(EntityUpdated(enterprise("E-voc", district: "jinjiang", sector: .chemicals, voc: true)),
                         to: .registryEvents, at: cst("2026-07-02", 9))
        try harness.send(EntityDeregistered(entityId: "E-site", reason: "closed"), to: .registryEvents,
                         at: cst("2026-07-02", 9))
        try harness.send(LifecycleOverRecordsTests.episode[0], at: cst("2026-07-10", 10, 1))
        #expect(try harness.alerts(ControlDirectiveIssued.self).map(\.entityId) == ["E-green"])
    }
}
