import Contract
import EcoTestKit
import Foundation
import RegistryDomain
@testable import RegistryService
import Store
import Testing

/// A new trading day stores the whole holdings ledger; a restart reads it and replays only the
/// journal after it, and falls back to the whole journal when the snapshot cannot be trusted.
@Suite("Registry ledger snapshot and restarts")
struct RegistryLedgerSnapshotTests {
    /// Day one: S-co sells 1,000 t to B-co in two trades and holds 500 t more for an open order.
    /// Day two: another sale of 100 t.
    private func twoDays() throws -> RegistryHarness {
        let registry = try RegistryHarness()
        try registry.send(RegisterEntity(plant("S-co")))
        try registry.send(RegisterEntity(investor("B-co")))
        try registry.send(output("S-co", year: 2019, mwh: 1_000_000))
        try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        try registry.send(SessionOpened(instrument: .cea, tradingDay: day("2026-07-16"), referencePrice: 5_000), to: .matchingEvents)
        try registry.send(sell("O-1", by: "S-co", quantity: 1_000), to: .marketOrders)
        try registry.send(trade("T-1", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 600, day: day("2026-07-16")),
                          to: .matchingEvents)
        try registry.send(trade("T-2", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 400, day: day("2026-07-16")),
                          to: .matchingEvents)
        try registry.send(sell("O-2", by: "S-co", quantity: 500), to: .marketOrders)
        try registry.send(SessionOpened(instrument: .cea, tradingDay: day("2026-07-17"), referencePrice: 5_000), to: .matchingEvents)
        try registry.send(sell("O-3", by: "B-co", quantity: 100), to: .marketOrders)
        try registry.send(trade("T-3", sellOrder: "O-3", seller: "B-co", buyer: "S-co", quantity: 100, day: day("2026-07-17")),
                          to: .matchingEvents)
        return registry
    }

    @Test func aRestartReadsTheSnapshotOfTheDaysStartAndReplaysOnlyTheEntriesAfterIt() throws {
        let registry = try twoDays()
        let before = try registry.ledger
        let snapshot = try #require(try registry.loop.store.read { try LedgerSnapshotTable.load($0, as: HoldingsLedgerSnapshot.self) })
        #expect(snapshot.tradingDay?.description == "2026-07-17")
        let journal = try registry.count("SELECT COUNT(*) FROM journal")
        #expect(snapshot.sequence > 0 && snapshot.sequence == journal - 2, "the day-two freeze and transfer follow it")

        try registry.restart()
        let report = try #require(registry.handler.engine.lastRestore)
        #expect(report.source == .snapshot)
        #expect(report.entriesReplayed == 2)
        #expect(report.snapshotRefused == nil)
        #expect(try registry.ledger == before)

        // What the snapshot holds still guards: the trades, the holds, T+1.
        #expect(try registry.send(trade("T-1", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 600,
                                        day: day("2026-07-16")), to: .matchingEvents).isEmpty)
        #expect(try registry.send(sell("O-2", by: "S-co", quantity: 500), to: .marketOrders).isEmpty)
        #expect(try registry.holding("B-co").sellable == 900)
        #expect(try registry.holding("S-co").acquiredToday == 100)
        let cancelled = try registry.send(OrderCancelled(orderId: "O-2", accountId: "S-co", instrument: .cea,
                                                         remainingQuantity: 500), to: .matchingEvents)
        #expect(cancelled.payloads(AllowancesUnfrozen.self).map(\.quantity) == [500])
        #expect(try registry.totals().balanced)
    }

    @Test func aSnapshotIsAlsoStoredEveryNEntriesWithinADay() throws {
        let registry = try RegistryHarness(configuration: RegistryConfiguration(snapshotEveryEntries: 2))
        try registry.send(RegisterEntity(plant("S-co")))
        try registry.send(RegisterEntity(investor("B-co")))
        try registry.send(output("S-co", year: 2019, mwh: 1_000_000))
        try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        try registry.send(SessionOpened(instrument: .cea, tradingDay: day("2026-07-16"), referencePrice: 5_000), to: .matchingEvents)
        let dayStart = try #require(try registry.loop.store.read { try LedgerSnapshotTable.load($0, as: HoldingsLedgerSnapshot.self) }).sequence
        try registry.send(sell("O-1", by: "S-co", quantity: 1_000), to: .marketOrders)
        try registry.send(trade("T-1", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 600, day: day("2026-07-16")),
                          to: .matchingEvents)
        // Two entries past the day start's snapshot: stored again at that batch's end.
        #expect(try registry.loop.store.read { try LedgerSnapshotTable.load($0, as: HoldingsLedgerSnapshot.self) }?.sequence == dayStart + 2)
        try registry.send(sell("O-2", by: "S-co", quantity: 10), to: .marketOrders)
        let before = try registry.ledger
        try registry.restart()
        let report = try #require(registry.handler.engine.lastRestore)
        #expect(report.source == .snapshot)
        #expect(report.snapshotSequence == Int64(dayStart + 2) && report.entriesReplayed == 1)
        #expect(try registry.ledger == before)
        #expect(try registry.holding("B-co").acquiredToday == 600)
    }

    @Test func theReadSideShowsTheSnapshotAndTheLastRestore() throws {
        let registry = try twoDays()
        try registry.restart()
        let (status, body) = try registry.admin("/ledger", as: LedgerRouteBody.self)
        #expect(status == 200)
        let view = try #require(body)
        #expect(view.snapshot?.tradingDay == "2026-07-17")
        #expect(view.lastRestore?.source == "snapshot")
        #expect(view.lastRestore?.entriesReplayed == 2)
        #expect(Int64(view.journalEntries) == (view.snapshot?.sequence ?? 0) + 2)
    }

    @Test func aSnapshotThatDoesNotDecodeIsPassedOverForTheWholeJournal() throws {
        let registry = try twoDays()
        let before = try registry.ledger
        try registry.tamper("UPDATE ledger_snapshot SET bytes = x'45485301'")
        try registry.restart()
        let report = try #require(registry.handler.engine.lastRestore)
        #expect(report.source == .journal)
        #expect(report.snapshotRefused?.contains("does not decode") == true)
        #expect(try registry.ledger == before)
    }

    @Test func aSnapshotWhosePartsDisagreeIsPassedOver() throws {
        let registry = try twoDays()
        let before = try registry.ledger
        var snapshot = try #require(try registry.loop.store.read { try LedgerSnapshotTable.load($0, as: HoldingsLedgerSnapshot.self) })
        snapshot.trades.append(snapshot.trades[0])
        try registry.tamper("UPDATE ledger_snapshot SET bytes = ?", [Data(snapshot.encoded())])
        try registry.restart()
        let report = try #require(registry.handler.engine.lastRestore)
        #expect(report.source == .journal)
        #expect(report.snapshotRefused?.contains("invalid-snapshot") == true)
        #expect(try registry.ledger == before)
    }

    @Test func aSnapshotThatGivesOtherHoldingsThanTheStoredRowsIsPassedOver() throws {
        let registry = try twoDays()
        try registry.tamper("UPDATE holdings SET held = held + 1 WHERE entityId = 'B-co'")
        try registry.restart()
        let report = try #require(registry.handler.engine.lastRestore)
        #expect(report.source == .journal)
        #expect(report.snapshotRefused?.contains("other holdings than the stored rows") == true)
    }

    @Test func aJournalThatEndsBeforeTheSnapshotIsPassedOver() throws {
        let registry = try twoDays()
        let snapshot = try #require(try registry.loop.store.read { try LedgerSnapshotTable.load($0, as: HoldingsLedgerSnapshot.self) })
        try registry.tamper("DELETE FROM journal WHERE seq >= \(snapshot.sequence)")
        try registry.restart()
        let report = try #require(registry.handler.engine.lastRestore)
        #expect(report.source == .journal)
        #expect(report.snapshotRefused?.contains("before the snapshot's \(snapshot.sequence)") == true)
    }
}
