import Contract
import Foundation
import RegistryDomain
@testable import RegistryService
import Testing

/// IssueOffsets: the authority credits CCER through the ledger's issuance account, once per
/// issuance id and entity; every refusal is a `CommandRejected` that leaves the books as they were.
@Suite("Registry offsets")
struct OffsetIssuanceTests {
    let registry: RegistryHarness

    init() throws {
        registry = try RegistryHarness()
        try registry.send(RegisterEntity(plant("E-coal")))
        try registry.send(RegisterEntity(investor("I-1")))
    }

    /// Journal rows, CCER holdings rows: what a refusal must leave untouched.
    private func books() throws -> [Int] {
        [try registry.count("SELECT COUNT(*) FROM journal"),
         try registry.count("SELECT COALESCE(SUM(held), 0) FROM holdings WHERE instrument = 'CCER'")]
    }

    @Test func issuedOffsetsAreHeldAndTheCCERTotalsBalance() throws {
        let events = try registry.send(IssueOffsets(entityId: "E-coal", quantity: 50_000, reference: "CCER-2021-0001"))
        #expect(events.payloads(OffsetsIssued.self) == [
            OffsetsIssued(entityId: "E-coal", instrument: .ccer, quantity: 50_000, reference: "CCER-2021-0001"),
        ])
        #expect(events.map(\.topic) == ["registry.events"] && events.map(\.key) == ["E-coal"])
        let holding = try registry.holding("E-coal", "CCER")
        #expect(holding.held == 50_000 && holding.available == 50_000 && holding.retired == 0)
        #expect(try registry.holding("E-coal", "CEA").held == 0, "offsets are not allowances")
        let totals = try #require(try registry.totals().of("CCER"))
        #expect(totals.issued == 50_000 && totals.held == 50_000 && totals.retired == 0)
        #expect(try registry.totals().balanced)
        #expect(try registry.count("""
            SELECT COUNT(*) FROM journal WHERE kind = 'issue' AND instrument = 'CCER' AND debitOwner = 'E-coal'
                AND creditOwner = 'authority' AND reference = 'offsets:CCER-2021-0001' AND quantity = 50000
            """) == 1)
    }

    @Test func anInvestorMayReceiveOffsets() throws {
        let events = try registry.send(IssueOffsets(entityId: "I-1", quantity: 10, reference: "CCER-2021-0002"))
        #expect(events.payloads(OffsetsIssued.self).count == 1)
        #expect(try registry.holding("I-1", "CCER").held == 10)
    }

    @Test func theSameReferenceIssuesOnceAndTheRepeatIsRefusedWithAReason() throws {
        try registry.send(IssueOffsets(entityId: "E-coal", quantity: 50_000, reference: "CCER-2021-0001"))
        let before = try books()
        let repeated = try registry.send(IssueOffsets(entityId: "E-coal", quantity: 70_000, reference: "CCER-2021-0001"))
        let rejection = try #require(repeated.payloads(CommandRejected.self).first)
        #expect(repeated.payloads(OffsetsIssued.self).isEmpty)
        #expect(rejection.code == "duplicate-reference" && rejection.commandType == "IssueOffsets")
        #expect(rejection.reason.contains("CCER-2021-0001"))
        #expect(try books() == before)
        #expect(try registry.holding("E-coal", "CCER").held == 50_000)
        #expect(try registry.totals().balanced)
    }

    @Test func theDuplicateGuardSurvivesARestart() throws {
        try registry.send(IssueOffsets(entityId: "E-coal", quantity: 50_000, reference: "CCER-2021-0001"))
        try registry.handler.restore(from: .init(registry.loop.store))
        let repeated = try registry.send(IssueOffsets(entityId: "E-coal", quantity: 1, reference: "CCER-2021-0001"))
        #expect(repeated.payloads(CommandRejected.self).map(\.code) == ["duplicate-reference"])
        let replayed = try registry.replayedLedger()
        #expect(replayed.holding(of: "E-coal", .ccer) == Holding(held: 50_000))
        #expect(replayed.invariantViolations.isEmpty)
    }

    @Test func aReferenceIsUniquePerEntity() throws {
        // The registry's state is keyed by entity (DESIGN.md, scale-out): one instance can only
        // vouch for the references of the entities it owns.
        try registry.send(IssueOffsets(entityId: "E-coal", quantity: 5, reference: "CCER-2021-0001"))
        let other = try registry.send(IssueOffsets(entityId: "I-1", quantity: 5, reference: "CCER-2021-0001"))
        #expect(other.payloads(OffsetsIssued.self).count == 1)
        #expect(try registry.totals().of("CCER")?.issued == 10)
    }

    @Test func unknownAndDeregisteredEntitiesAreRefusedAndNothingChanges() throws {
        try registry.send(DeregisterEntity(entityId: "I-1", reason: "closed"))
        let before = try books()
        let unknown = try registry.send(IssueOffsets(entityId: "E-none", quantity: 5, reference: "CCER-2021-0003"))
        let gone = try registry.send(IssueOffsets(entityId: "I-1", quantity: 5, reference: "CCER-2021-0004"))
        #expect((unknown + gone).payloads(CommandRejected.self).map(\.code) == ["unknown-entity", "entity-deregistered"])
        #expect((unknown + gone).payloads(OffsetsIssued.self).isEmpty)
        #expect(try books() == before)
        #expect(try registry.totals().of("CCER") == nil)
    }

    @Test func allowancesCannotBeIssuedAsOffsets() throws {
        let events = try registry.send(IssueOffsets(entityId: "E-coal", instrument: .cea, quantity: 5, reference: "r-1"))
        #expect(events.payloads(CommandRejected.self).map(\.code) == ["invalid-field"])
        #expect(events.contains { $0.topic == "registry.commands.dlq" })
        #expect(try registry.holding("E-coal", "CEA").held == 0)
        #expect(try registry.count("SELECT COUNT(*) FROM journal") == 0)
    }
}
