import Contract
import EcoTestKit
import Foundation
import Testing

/// The registry's additions over the broker with the real executable: `UnitOutputRecorded`
/// acknowledges an output, `IssueOffsets` credits CCER once per issuance id, and issued CCER
/// are surrendered within the 5% cap and counted by the assessment.
@Suite("Registry offsets over the broker", .serialized)
struct OffsetsTopicTests {
    @Test func issuedOffsetsAreSurrenderedWithinTheCapAndADuplicateIsRefused() async throws {
        let fixture = try await RegistryFixture()
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.events)
        // Every command is keyed E-1: one partition, so each is applied after the one before.
        try await writer.send(RegisterEntity(plant("E-1")), to: .registryCommands)
        try await events.await(EntityRegistered.self) { $0.profile.entityId == "E-1" }

        try await writer.send(unitOutput("E-1", year: 2019, mwh: 1_000_000), to: .registryCommands)
        let recorded = try await events.await(UnitOutputRecorded.self) { $0.entityId == "E-1" }
        #expect(recorded == UnitOutputRecorded(entityId: "E-1", unitId: "U1", year: 2019, electricityMWh: 1_000_000, heatGJ: 0,
                                               loadRate: 0.9, heatSupplyRatio: 0, revision: 1))
        try await writer.send(unitOutput("E-1", year: 2019, mwh: 1_050_000), to: .registryCommands)
        let corrected = try await events.await(UnitOutputRecorded.self) { $0.revision == 2 }
        #expect(corrected.electricityMWh == 1_050_000)

        try await writer.send(IssueOffsets(entityId: "E-1", quantity: 100_000, reference: "CCER-2021-0001"), to: .registryCommands)
        let issued = try await events.await(OffsetsIssued.self) { $0.entityId == "E-1" }
        #expect(issued == OffsetsIssued(entityId: "E-1", instrument: .ccer, quantity: 100_000, reference: "CCER-2021-0001"))
        let again = try await writer.send(IssueOffsets(entityId: "E-1", quantity: 100_000, reference: "CCER-2021-0001"),
                                          to: .registryCommands)
        let duplicate = try await events.await(CommandRejected.self) { $0.commandId == again.uuidString.lowercased() }
        #expect(duplicate.code == "duplicate-reference" && duplicate.commandType == "IssueOffsets")
        #expect(duplicate.reason.contains("CCER-2021-0001"))

        try await writer.send(SubmitVerifiedEmissions(entityId: "E-1", year: 2020, tonnes: 1_200_000), to: .registryCommands)
        try await events.await(EmissionsVerified.self) { $0.entityId == "E-1" }
        // 5% of 1,200,000 t = 60,000 t of CCER may count.
        try await writer.send(SurrenderAllowances(entityId: "E-1", year: 2020, instrument: .ccer, quantity: 60_000),
                              to: .registryCommands)
        let surrendered = try await events.await(AllowancesSurrendered.self) { $0.entityId == "E-1" }
        #expect(surrendered == AllowancesSurrendered(entityId: "E-1", year: 2020, instrument: .ccer, quantity: 60_000))
        let overCap = try await writer.send(SurrenderAllowances(entityId: "E-1", year: 2020, instrument: .ccer, quantity: 1),
                                            to: .registryCommands)
        let capped = try await events.await(CommandRejected.self) { $0.commandId == overCap.uuidString.lowercased() }
        #expect(capped.code == "ccer-cap-exceeded")

        try await writer.send(AssessCompliance(year: 2020, entityId: "E-1"), to: .registryCommands)
        let assessed = try await events.await(ComplianceAssessed.self) { $0.entityId == "E-1" }
        #expect(assessed.surrendered == 60_000)

        #expect(events.payloads(OffsetsIssued.self).count == 1, "the duplicate issued nothing")
        let totals = try await fixture.totals()
        let ccer = try #require(totals.of("CCER"))
        #expect(ccer.issued == 100_000 && ccer.held == 40_000 && ccer.retired == 60_000 && ccer.balanced)
        #expect(ccer.held + ccer.retired == ccer.issued)
        #expect(totals.balanced)
        let holding = try await fixture.holding("E-1", "CCER")
        #expect(holding.held == 40_000 && holding.retired == 60_000)
    }
}
