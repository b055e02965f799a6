import Contract
import EcoTestKit
import Foundation
import Testing

/// A compliance cycle through `registry.commands` and `registry.events` with the real executable:
/// register -> record output -> allocate (pre, final) -> verified emissions -> surrender -> assess.
@Suite("Registry compliance cycle over the broker", .serialized)
struct ComplianceCycleTopicTests {
    @Test func aPlantIsAllocatedVerifiedSurrendersAndIsAssessed() async throws {
        let rules = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/rules/allocation-2019-2020.json")
        let fixture = try await RegistryFixture(extraArguments: ["--rules", rules.path])
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.events)

        try await writer.send(RegisterEntity(plant("E-1")), to: .registryCommands)
        try await events.await(EntityRegistered.self) { $0.profile.entityId == "E-1" }
        try await writer.send(unitOutput("E-1", year: 2019, mwh: 1_000_000), to: .registryCommands)
        try await writer.send(unitOutput("E-1", year: 2020, mwh: 1_100_000), to: .registryCommands)
        try await fixture.awaitOutputs("E-1", count: 2)

        try await writer.send(AllocateAllowances(year: 2020, phase: .pre), to: .registryCommands)
        let pre = try await events.await(AllowancesAllocated.self) { $0.phase == .pre }
        #expect(pre.quantity == 613_900)
        #expect(pre.rulesVersion == "cn-power-2019-2020-v1")
        try await writer.send(AllocateAllowances(year: 2020, phase: .final), to: .registryCommands)
        let final = try await events.await(AllowancesAllocated.self) { $0.phase == .final }
        #expect(final.quantity == 964_700)
        #expect(final.holdingChange == 350_800)

        try await writer.send(SubmitVerifiedEmissions(entityId: "E-1", year: 2020, tonnes: 1_200_000), to: .registryCommands)
        try await events.await(EmissionsVerified.self) { $0.entityId == "E-1" }
        try await writer.send(SurrenderAllowances(entityId: "E-1", year: 2020, instrument: .cea, quantity: 900_000),
                              to: .registryCommands)
        try await events.await(AllowancesSurrendered.self) { $0.entityId == "E-1" }
        try await writer.send(AssessCompliance(year: 2020), to: .registryCommands)
        let assessed = try await events.await(ComplianceAssessed.self) { $0.entityId == "E-1" }
        #expect(assessed == ComplianceAssessed(entityId: "E-1", year: 2020, verified: 1_200_000, allocated: 964_700,
                                               surrendered: 900_000, obligation: 1_200_000, shortfall: 300_000,
                                               status: .shortfall))

        let totals = try await fixture.totals()
        #expect(totals.balanced)
        #expect(totals.of("CEA")?.issued == 964_700)
        #expect(totals.of("CEA")?.retired == 900_000)
        #expect(totals.of("CEA")?.held == 64_700)
        let compliance = try await fixture.registry.admin("/entities/E-1/compliance/2020")
        #expect(compliance.status == 200)
        #expect(String(decoding: compliance.body, as: UTF8.self).contains("\"shortfall\" : 300000"))
    }

    @Test func refusedCommandsAnswerWithReasonsAndChangeNothing() async throws {
        let fixture = try await RegistryFixture()
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.events)
        try await writer.send(RegisterEntity(plant("E-1")), to: .registryCommands)
        try await writer.send(unitOutput("E-1", year: 2019, mwh: 1_000_000), to: .registryCommands)
        try await fixture.awaitOutputs("E-1", count: 1)
        try await writer.send(AllocateAllowances(year: 2020, phase: .pre), to: .registryCommands)
        try await events.await(AllowancesAllocated.self) { $0.entityId == "E-1" }
        let before = try await fixture.totals()

        let twice = try await writer.send(AllocateAllowances(year: 2020, phase: .pre), to: .registryCommands)
        let tooMuch = try await writer.send(SurrenderAllowances(entityId: "E-1", year: 2020, instrument: .cea, quantity: 700_000),
                                            to: .registryCommands)
        let offsets = try await writer.send(SurrenderAllowances(entityId: "E-1", year: 2020, instrument: .ccer, quantity: 1),
                                            to: .registryCommands)
        let unknown = try await writer.send(SubmitVerifiedEmissions(entityId: "E-none", year: 2020, tonnes: 5), to: .registryCommands)
        var codes: [String] = []
        for id in [twice, tooMuch, offsets, unknown] {
            let refusal = try await events.await(CommandRejected.self) { $0.commandId == id.uuidString.lowercased() }
            #expect(!refusal.reason.isEmpty)
            codes.append(refusal.code)
        }
        #expect(codes == ["already-allocated", "insufficient-allowances", "ccer-cap-unknown", "unknown-entity"])
        #expect(try await fixture.totals() == before)
        #expect(events.payloads(AllowancesAllocated.self).count == 1)
    }
}
