import Contract
import Foundation
import RegistryDomain
@testable import RegistryService
import Testing

/// RecordUnitOutput and AllocateAllowances: the benchmark method, pre-allocation from the
/// reference year, the final true-up, once per entity, year and phase.
@Suite("Registry allocation")
struct AllocationTests {
    let registry: RegistryHarness

    init() throws { registry = try RegistryHarness() }

    private func registerPlant(_ id: String, mwh2019: Int64 = 1_000_000) throws {
        try registry.send(RegisterEntity(plant(id)))
        try registry.send(output(id, year: 2019, mwh: mwh2019))
    }

    @Test func preAllocationIssuesSeventyPercentOfTheReferenceYearsAllowance() throws {
        try registerPlant("E-1")
        let events = try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        let allocated = try #require(events.payloads(AllowancesAllocated.self).first)
        // 0.877 t/MWh x 1,000,000 MWh x 0.7 = 613,900 t
        #expect(allocated.quantity == 613_900)
        #expect(allocated.holdingChange == 613_900)
        #expect(allocated.phase == .pre)
        #expect(allocated.rulesVersion == "cn-power-2019-2020-v1")
        let unit = try #require(allocated.units.first)
        #expect(unit.quantity == 613_900)
        #expect(unit.electricityBenchmark == "0.877")
        #expect(unit.coolingFactor == "1")
        #expect(unit.loadFactor == "1")
        #expect(unit.heatSupplyFactor == "1")
        #expect(unit.electricityMWh == 700_000)
        #expect(try registry.holding("E-1").held == 613_900)
        #expect(try registry.count("SELECT COUNT(*) FROM journal WHERE kind = 'issue' AND reference = 'allocation:2020:pre'") == 1)
        #expect(try registry.totals().balanced)
    }

    @Test func factorsOfAnAirCooledPartLoadUnitAndAGasCogenerationUnit() throws {
        try registry.send(RegisterEntity(plant("E-air", units: [
            GeneratingUnitSpec(unitId: "U1", category: .coalAbove300MW, capacityMW: 600, cooling: .air),
        ])))
        try registry.send(RegisterEntity(gasPlant("E-gas")))
        // load 0.82: 1 + 0.0014 x (85 - 82) = 1.0042; air 1.05 -> 0.877 x 1,000,000 x 1.05 x 1.0042 = 924,717.63
        try registry.send(output("E-air", year: 2020, mwh: 1_000_000, loadRate: 0.82))
        // gas: 0.392 x 500,000 x (1 - 0.6 x 0.2) + 0.059 x 100,000 = 172,480 + 5,900
        try registry.send(output("E-gas", unit: "G1", year: 2020, mwh: 500_000, heatGJ: 100_000, loadRate: 0.6, heatSupplyRatio: 0.2))
        let events = try registry.send(AllocateAllowances(year: 2020, phase: .final))
        let byEntity = Dictionary(uniqueKeysWithValues: events.payloads(AllowancesAllocated.self).map { ($0.entityId, $0) })
        #expect(byEntity["E-air"]?.quantity == 924_718)
        #expect(byEntity["E-air"]?.units.first?.loadFactor == "1.0042")
        #expect(byEntity["E-air"]?.units.first?.coolingFactor == "1.05")
        #expect(byEntity["E-gas"]?.quantity == 178_380)
        #expect(byEntity["E-gas"]?.units.first?.heatSupplyFactor == "0.88")
        #expect(byEntity["E-gas"]?.units.first?.loadFactor == "1")
        #expect(byEntity["E-gas"]?.holdingChange == 178_380, "a final without a pre-allocation issues it all")
    }

    @Test func finalTrueUpIssuesTheDifference() throws {
        try registerPlant("E-1")
        try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        try registry.send(output("E-1", year: 2020, mwh: 1_100_000))
        let events = try registry.send(AllocateAllowances(year: 2020, phase: .final))
        let allocated = try #require(events.payloads(AllowancesAllocated.self).first)
        #expect(allocated.quantity == 964_700)
        #expect(allocated.holdingChange == 350_800)  // 964,700 - 613,900
        #expect(try registry.holding("E-1").held == 964_700)
        #expect(try registry.totals().of("CEA")?.issued == 964_700)
    }

    @Test func finalTrueUpClawsBackAnOverAllocation() throws {
        try registerPlant("E-1")
        try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        try registry.send(output("E-1", year: 2020, mwh: 600_000))
        let events = try registry.send(AllocateAllowances(year: 2020, phase: .final, entityId: "E-1"))
        #expect(events.payloads(AllowancesAllocated.self).first?.holdingChange == -87_700)  // 526,200 - 613,900
        #expect(try registry.holding("E-1").held == 526_200)
        let totals = try #require(try registry.totals().of("CEA"))
        #expect(totals.issued == 613_900)
        #expect(totals.clawedBack == 87_700)
        #expect(totals.balanced)
    }

    @Test func aClawBackLargerThanWhatIsUnfrozenIsRefusedAndChangesNothing() throws {
        try registerPlant("E-1")
        try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        try registry.send(sell("S-1", by: "E-1", quantity: 600_000), to: .marketOrders)
        try registry.send(output("E-1", year: 2020, mwh: 600_000))
        let events = try registry.send(AllocateAllowances(year: 2020, phase: .final, entityId: "E-1"))
        #expect(events.payloads(CommandRejected.self).map(\.code) == ["insufficient-allowances"])
        #expect(events.payloads(AllowancesAllocated.self).isEmpty)
        #expect(try registry.holding("E-1").held == 613_900)
        #expect(try registry.count("SELECT COUNT(*) FROM allocations WHERE phase = 'final'") == 0)
    }

    @Test func theSameAllocationTwiceIsRefusedAndIssuesOnce() throws {
        try registerPlant("E-1")
        try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        let wide = try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        let single = try registry.send(AllocateAllowances(year: 2020, phase: .pre, entityId: "E-1"))
        #expect(wide.payloads(CommandRejected.self).map(\.code) == ["already-allocated"])
        #expect(single.payloads(CommandRejected.self).map(\.code) == ["already-allocated"])
        #expect(wide.payloads(AllowancesAllocated.self).isEmpty && single.payloads(AllowancesAllocated.self).isEmpty)
        #expect(try registry.holding("E-1").held == 613_900)
        #expect(try registry.count("SELECT COUNT(*) FROM journal") == 1)
    }

    @Test func aRepeatedYearWideRunAllocatesOnlyTheEntitiesLeft() throws {
        try registerPlant("E-1")
        try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        try registerPlant("E-2", mwh2019: 500_000)
        let events = try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        #expect(events.payloads(AllowancesAllocated.self).map(\.entityId) == ["E-2"])
        #expect(try registry.totals().of("CEA")?.issued == 613_900 + 306_950)
    }

    @Test func entitiesWithoutOutputAreRefusedOneByOneAndTheOthersAllocated() throws {
        try registerPlant("E-1")
        try registry.send(RegisterEntity(plant("E-2")))
        try registry.send(RegisterEntity(investor("I-1")))
        let command = Envelope(command: AllocateAllowances(year: 2020, phase: .pre), source: "test")
        let events = try registry.sendAll([command], to: .registryCommands)
        #expect(events.payloads(AllowancesAllocated.self).map(\.entityId) == ["E-1"])
        let refusal = try #require(events.payloads(CommandRejected.self).first)
        #expect(events.payloads(CommandRejected.self).count == 1, "the investor is not in the national ETS")
        #expect(refusal.code == "missing-unit-output")
        #expect(refusal.key == "E-2")
        #expect(refusal.commandId == command.id.uuidString.lowercased())
        #expect(refusal.reason.contains("E-2") && refusal.reason.contains("2019"))
        #expect(events.first { $0.type == "CommandRejected" }?.key == "E-2")
        // E-2 can be allocated once its output is in.
        try registry.send(output("E-2", year: 2019, mwh: 1_000))
        #expect(try registry.send(AllocateAllowances(year: 2020, phase: .pre)).payloads(AllowancesAllocated.self).map(\.entityId) == ["E-2"])
    }

    @Test func aPreAllocationAfterTheFinalIsRefused() throws {
        try registry.send(RegisterEntity(plant("E-1")))
        try registry.send(output("E-1", year: 2020, mwh: 1_000))
        try registry.send(output("E-1", year: 2019, mwh: 1_000))
        try registry.send(AllocateAllowances(year: 2020, phase: .final))
        let events = try registry.send(AllocateAllowances(year: 2020, phase: .pre, entityId: "E-1"))
        #expect(events.payloads(CommandRejected.self).map(\.code) == ["final-already-allocated"])
    }

    @Test func outputIsReplacedUntilAnAllocationUsesIt() throws {
        try registerPlant("E-1", mwh2019: 2_000_000)
        try registry.send(output("E-1", year: 2019, mwh: 1_000_000))
        #expect(try registry.count("SELECT revision FROM unit_outputs WHERE entityId = 'E-1' AND year = 2019") == 2)
        try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        #expect(try registry.holding("E-1").held == 613_900, "the replacement was used")
        let late = try registry.send(output("E-1", year: 2019, mwh: 3_000_000))
        #expect(late.payloads(CommandRejected.self).map(\.code) == ["output-already-allocated"])
        #expect(try registry.count("SELECT electricityMWh FROM unit_outputs WHERE entityId = 'E-1' AND year = 2019") == 1_000_000)
    }

    @Test func eachRecordedOutputIsAcknowledgedWithItsRevision() throws {
        try registry.send(RegisterEntity(gasPlant("E-gas")))
        let first = try registry.send(output("E-gas", unit: "G1", year: 2020, mwh: 500_000, heatGJ: 100_000, loadRate: 0.6,
                                             heatSupplyRatio: 0.2))
        #expect(first.payloads(UnitOutputRecorded.self) == [
            UnitOutputRecorded(entityId: "E-gas", unitId: "G1", year: 2020, electricityMWh: 500_000, heatGJ: 100_000,
                               loadRate: 0.6, heatSupplyRatio: 0.2, revision: 1),
        ])
        #expect(first.map(\.topic) == ["registry.events"] && first.map(\.key) == ["E-gas"])
        let corrected = try registry.send(output("E-gas", unit: "G1", year: 2020, mwh: 510_000, loadRate: 0.61))
        #expect(corrected.payloads(UnitOutputRecorded.self).map(\.revision) == [2])
        #expect(corrected.payloads(UnitOutputRecorded.self).first?.electricityMWh == 510_000)
        // Another year of the same unit is a record of its own.
        let nextYear = try registry.send(output("E-gas", unit: "G1", year: 2021, mwh: 1))
        #expect(nextYear.payloads(UnitOutputRecorded.self).map(\.revision) == [1])
        #expect(try registry.count("SELECT revision FROM unit_outputs WHERE entityId = 'E-gas' AND year = 2020") == 2)
    }

    @Test func outputRefusals() throws {
        try registry.send(RegisterEntity(plant("E-1")))
        try registry.send(RegisterEntity(investor("I-1")))
        let codes = try [
            registry.send(output("E-none", year: 2019, mwh: 1)),
            registry.send(output("E-1", unit: "U9", year: 2019, mwh: 1)),
            registry.send(output("E-1", year: 2019, mwh: 1, loadRate: 0.12345)),
            registry.send(output("I-1", year: 2019, mwh: 1)),
        ]
        #expect(codes.map { $0.payloads(CommandRejected.self).first?.code }
                == ["unknown-entity", "unknown-unit", "invalid-unit-output", "not-national-ets"])
        #expect(codes.allSatisfy { $0.payloads(UnitOutputRecorded.self).isEmpty }, "a refused output is not acknowledged")
        #expect(try registry.count("SELECT COUNT(*) FROM unit_outputs") == 0)
    }

    @Test func allocationRefusalsForOneEntity() throws {
        try registry.send(RegisterEntity(investor("I-1")))
        let unknown = try registry.send(AllocateAllowances(year: 2020, phase: .pre, entityId: "E-none"))
        let investor = try registry.send(AllocateAllowances(year: 2020, phase: .pre, entityId: "I-1"))
        let nobody = try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        #expect(unknown.payloads(CommandRejected.self).map(\.code) == ["unknown-entity"])
        #expect(investor.payloads(CommandRejected.self).map(\.code) == ["not-national-ets"])
        #expect(nobody.payloads(CommandRejected.self).map(\.code) == ["no-entities"])
        #expect(try registry.totals().instruments.isEmpty)
    }

    @Test func theReferenceYearComesFromTheRules() throws {
        let registry = try RegistryHarness(configuration: RegistryConfiguration(referenceYears: [2020: 2018]))
        try registry.send(RegisterEntity(plant("E-1")))
        try registry.send(output("E-1", year: 2018, mwh: 100_000))
        let events = try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        #expect(events.payloads(AllowancesAllocated.self).first?.quantity == 61_390)
        #expect(try registry.count("SELECT referenceYear FROM allocations") == 2018)
    }

    @Test func theShippedRulesFileIsTheBuiltInPlan() throws {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/rules/allocation-2019-2020.json")
        var configuration = RegistryConfiguration(referenceYearLag: 3)
        try configuration.loadAllocationRules(from: file)
        #expect(configuration.allocationRules == .plan2019To2020)
        #expect(configuration.referenceYearLag == 3, "the shipped file keeps the default reference year")
    }

    @Test func aRulesFileWithProblemsIsRefusedWithThem() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json")
        try Data(AllocationRules.defaultJSON.replacingOccurrences(of: "\"preAllocationShare\": 0.7", with: "\"preAllocationShare\": 1.7")
            .utf8).write(to: file)
        var configuration = RegistryConfiguration()
        #expect(throws: ConfigurationError.self) { try configuration.loadAllocationRules(from: file) }
        let lagged = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json")
        let json = AllocationRules.defaultJSON.replacingOccurrences(
            of: "\"preAllocationShare\": 0.7", with: "\"preAllocationShare\": 0.7, \"preAllocationReferenceYears\": {\"2020\": 2018}")
        try Data(json.utf8).write(to: lagged)
        try configuration.loadAllocationRules(from: lagged)
        #expect(configuration.referenceYear(forPreAllocationOf: 2020) == 2018)
        #expect(configuration.referenceYear(forPreAllocationOf: 2021) == 2020)
    }
}
