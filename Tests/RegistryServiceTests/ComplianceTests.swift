import Contract
import Foundation
import RegistryDomain
@testable import RegistryService
import Testing

/// Verified emissions, surrender (CEA, CCER up to 5%) and assessment (20% cap, gas rule).
@Suite("Registry compliance")
struct ComplianceTests {
    let registry: RegistryHarness

    /// E-coal: 964,700 t allocated for 2020 (pre 613,900 + true-up). E-gas: 178,380 t (final only).
    init() throws {
        registry = try RegistryHarness()
        try registry.send(RegisterEntity(plant("E-coal")))
        try registry.send(RegisterEntity(gasPlant("E-gas")))
        try registry.send(RegisterEntity(investor("I-1")))
        try registry.send(output("E-coal", year: 2019, mwh: 1_000_000))
        try registry.send(AllocateAllowances(year: 2020, phase: .pre, entityId: "E-coal"))
        try registry.send(output("E-coal", year: 2020, mwh: 1_100_000))
        try registry.send(output("E-gas", unit: "G1", year: 2020, mwh: 500_000, heatGJ: 100_000, loadRate: 0.6, heatSupplyRatio: 0.2))
        try registry.send(AllocateAllowances(year: 2020, phase: .final))
    }

    @Test func verifiedEmissionsAreRecordedAndReplacedAsRevisions() throws {
        let events = try registry.send(SubmitVerifiedEmissions(entityId: "E-coal", year: 2020, tonnes: 1_000_000))
        #expect(events.payloads(EmissionsVerified.self) == [EmissionsVerified(entityId: "E-coal", year: 2020, tonnes: 1_000_000)])
        try registry.send(SubmitVerifiedEmissions(entityId: "E-coal", year: 2020, tonnes: 1_200_000))
        #expect(try registry.count("SELECT tonnes FROM verified_emissions WHERE entityId = 'E-coal'") == 1_200_000)
        #expect(try registry.count("SELECT revision FROM verified_emissions WHERE entityId = 'E-coal'") == 2)
        let refused = try registry.send(SubmitVerifiedEmissions(entityId: "I-1", year: 2020, tonnes: 1))
        let unknown = try registry.send(SubmitVerifiedEmissions(entityId: "E-none", year: 2020, tonnes: 1))
        #expect((refused + unknown).payloads(CommandRejected.self).map(\.code) == ["not-national-ets", "unknown-entity"])
    }

    @Test func surrenderRetiresAllowances() throws {
        let events = try registry.send(SurrenderAllowances(entityId: "E-coal", year: 2020, instrument: .cea, quantity: 900_000))
        #expect(events.payloads(AllowancesSurrendered.self) == [
            AllowancesSurrendered(entityId: "E-coal", year: 2020, instrument: .cea, quantity: 900_000),
        ])
        let holding = try registry.holding("E-coal")
        #expect(holding.held == 64_700)
        #expect(holding.retired == 900_000)
        let totals = try #require(try registry.totals().of("CEA"))
        #expect(totals.retired == 900_000)
        #expect(totals.held + totals.retired == totals.issued - totals.clawedBack)
        #expect(totals.balanced)
    }

    @Test func surrenderRefusalsChangeNothing() throws {
        try registry.send(sell("O-1", by: "E-coal", quantity: 900_000), to: .marketOrders)
        let frozen = try registry.send(SurrenderAllowances(entityId: "E-coal", year: 2020, instrument: .cea, quantity: 100_000))
        let unknownCap = try registry.send(SurrenderAllowances(entityId: "E-coal", year: 2020, instrument: .ccer, quantity: 1))
        try registry.send(SubmitVerifiedEmissions(entityId: "E-coal", year: 2020, tonnes: 1_000_000))
        let overCap = try registry.send(SurrenderAllowances(entityId: "E-coal", year: 2020, instrument: .ccer, quantity: 50_001))
        let noOffsets = try registry.send(SurrenderAllowances(entityId: "E-coal", year: 2020, instrument: .ccer, quantity: 50_000))
        let investor = try registry.send(SurrenderAllowances(entityId: "I-1", year: 2020, instrument: .cea, quantity: 1))
        let codes = (frozen + unknownCap + overCap + noOffsets + investor).payloads(CommandRejected.self).map(\.code)
        #expect(codes == ["insufficient-allowances", "ccer-cap-unknown", "ccer-cap-exceeded", "insufficient-allowances",
                          "not-national-ets"])
        #expect(try registry.holding("E-coal").retired == 0)
        #expect(try registry.count("SELECT COUNT(*) FROM surrenders") == 0)
        #expect(try registry.totals().balanced)
    }

    @Test func ccerCountsUpToFivePercentAcrossSurrenders() throws {
        try registry.send(IssueOffsets(entityId: "E-coal", quantity: 100_000, reference: "CCER-2021-0001"))
        try registry.send(SubmitVerifiedEmissions(entityId: "E-coal", year: 2020, tonnes: 1_200_000))
        let first = try registry.send(SurrenderAllowances(entityId: "E-coal", year: 2020, instrument: .ccer, quantity: 40_000))
        let second = try registry.send(SurrenderAllowances(entityId: "E-coal", year: 2020, instrument: .ccer, quantity: 20_001))
        let third = try registry.send(SurrenderAllowances(entityId: "E-coal", year: 2020, instrument: .ccer, quantity: 20_000))
        #expect(first.payloads(AllowancesSurrendered.self).count == 1)
        #expect(second.payloads(CommandRejected.self).map(\.code) == ["ccer-cap-exceeded"])
        #expect(third.payloads(AllowancesSurrendered.self).count == 1)
        #expect(try registry.holding("E-coal", "CCER").retired == 60_000)
        let totals = try #require(try registry.totals().of("CCER"))
        #expect(totals.issued == 100_000 && totals.held == 40_000 && totals.retired == 60_000 && totals.balanced)
    }

    @Test func assessmentAppliesTheTwentyPercentCapAndCountsOffsets() throws {
        try registry.send(IssueOffsets(entityId: "E-coal", quantity: 60_000, reference: "CCER-2021-0001"))
        try registry.send(SubmitVerifiedEmissions(entityId: "E-coal", year: 2020, tonnes: 1_200_000))
        try registry.send(SurrenderAllowances(entityId: "E-coal", year: 2020, instrument: .cea, quantity: 900_000))
        try registry.send(SurrenderAllowances(entityId: "E-coal", year: 2020, instrument: .ccer, quantity: 60_000))
        let events = try registry.send(AssessCompliance(year: 2020, entityId: "E-coal"))
        // obligation = min(1,200,000, 964,700 + 20% x 1,200,000) = 1,200,000; surrendered 900,000 + 60,000
        #expect(events.payloads(ComplianceAssessed.self) == [
            ComplianceAssessed(entityId: "E-coal", year: 2020, verified: 1_200_000, allocated: 964_700, surrendered: 960_000,
                               obligation: 1_200_000, shortfall: 240_000, status: .shortfall),
        ])
        try registry.send(SubmitVerifiedEmissions(entityId: "E-coal", year: 2020, tonnes: 1_500_000))
        let capped = try registry.send(AssessCompliance(year: 2020, entityId: "E-coal")).payloads(ComplianceAssessed.self).first
        // min(1,500,000, 964,700 + 300,000) = 1,264,700
        #expect(capped?.obligation == 1_264_700)
        #expect(capped?.shortfall == 304_700)  // 1,264,700 - 960,000
    }

    @Test func aGasFiredEntityOwesAtMostItsAllocation() throws {
        try registry.send(SubmitVerifiedEmissions(entityId: "E-gas", year: 2020, tonnes: 200_000))
        try registry.send(SurrenderAllowances(entityId: "E-gas", year: 2020, instrument: .cea, quantity: 178_380))
        let assessed = try registry.send(AssessCompliance(year: 2020, entityId: "E-gas")).payloads(ComplianceAssessed.self)
        #expect(assessed == [ComplianceAssessed(entityId: "E-gas", year: 2020, verified: 200_000, allocated: 178_380,
                                                surrendered: 178_380, obligation: 178_380, shortfall: 0, status: .compliant)])
    }

    @Test func aYearWideAssessmentCoversEveryNationalETSEntity() throws {
        try registry.send(SubmitVerifiedEmissions(entityId: "E-gas", year: 2020, tonnes: 100_000))
        let events = try registry.send(AssessCompliance(year: 2020))
        let assessed = events.payloads(ComplianceAssessed.self)
        #expect(assessed.map(\.entityId) == ["E-coal", "E-gas"])
        #expect(assessed.first?.status == .pending)
        #expect(assessed.first?.obligation == 0)
        #expect(assessed.last?.status == .shortfall)
        #expect(assessed.last?.shortfall == 100_000)
        #expect(events.map(\.key) == ["E-coal", "E-gas"])
        let (_, body) = try registry.admin("/entities/{id}/compliance/{year}", parameters: ["id": "E-gas", "year": "2020"],
                                           as: ComplianceView.self)
        #expect(body?.lastAssessed?.assessment.shortfall == 100_000)
        #expect(body?.current?.obligation == 100_000)
        #expect(body?.figures.allocated == 178_380)
    }

    @Test func assessingAnUnknownOrUncoveredEntityIsRefused() throws {
        let unknown = try registry.send(AssessCompliance(year: 2020, entityId: "E-none"))
        let investor = try registry.send(AssessCompliance(year: 2020, entityId: "I-1"))
        #expect((unknown + investor).payloads(CommandRejected.self).map(\.code) == ["unknown-entity", "not-national-ets"])
        #expect(try registry.count("SELECT COUNT(*) FROM compliance_assessments") == 0)
    }
}

struct ComplianceView: Decodable {
    var figures: ComplianceFigures
    var current: ComplianceAssessment?
    var lastAssessed: StoredAssessment?
}
