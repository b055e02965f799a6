import Contract
import EcoTestKit
import Foundation
import GRDB
@testable import SettlementService
import SettlementDomain
import Store
import Testing

/// A day's close stores the whole ledger; a restart reads it and replays only the journal after
/// it, and falls back to the whole journal when the stored snapshot cannot be trusted.
@Suite("Ledger snapshot and restarts")
struct LedgerSnapshotStoreTests {
    /// Day one: deposits, a buy, a trade with both legs, the close. Day two: another deposit and buy.
    private func twoDays() throws -> SettlementHarness {
        let settlement = try SettlementHarness()
        try settlement.send(opened("2026-07-16"), to: .matchingEvents)
        try settlement.send(deposit("B-co", 1_000_000, ref: "in-1"), to: .settlementCommands)
        try settlement.send(deposit("S-co", 1_000, ref: "in-2"), to: .settlementCommands)
        try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        try settlement.send(executed("T-1", buy: "b1", sell: "s1", 40, at: 4_990), to: .matchingEvents)
        try settlement.send(delivered("T-1", 40), to: .registryEvents)
        try settlement.send(closed("2026-07-16"), to: .matchingEvents)
        try settlement.send(opened("2026-07-17"), to: .matchingEvents)
        try settlement.send(deposit("S-co", 2_000, ref: "in-3"), to: .settlementCommands)
        try settlement.send(buy("b2", by: "S-co", 1, at: 1_000), to: .marketOrders)
        return settlement
    }

    @Test func aRestartReadsTheSnapshotOfTheLastCloseAndReplaysOnlyTheEntriesAfterIt() throws {
        let settlement = try twoDays()
        let before = settlement.ledger
        let stored = try #require(try settlement.loop.store.read { try LedgerSnapshotTable.load($0, as: LedgerSnapshot.self) })
        #expect(stored.tradingDay?.rawValue == "2026-07-16")
        let journal = try settlement.count("SELECT COUNT(*) FROM journal")
        #expect(stored.sequence > 0 && stored.sequence < Int64(journal))

        try settlement.restart()
        let report = try #require(settlement.handler.host.lastRestore)
        #expect(report.source == .snapshot)
        #expect(report.snapshotSequence == stored.sequence)
        #expect(report.entriesReplayed == Int64(journal) - stored.sequence)
        #expect(report.snapshotRefused == nil)
        #expect(settlement.ledger == before)
        let replayed = try settlement.loop.store.read { db in
            try FundsLedger(rules: .standard, tradingDay: JournalStore.tradingDay(db), replaying: JournalStore.stream(db))
        }
        #expect(settlement.ledger == replayed)

        // What the snapshot holds still guards: the settled trade, the reference, the reservation.
        #expect(try settlement.send(executed("T-1", buy: "b1", sell: "s1", 40, at: 4_990), to: .matchingEvents).isEmpty)
        let again = try settlement.send(deposit("B-co", 1_000_000, ref: "in-1"), to: .settlementCommands)
        #expect(again.payloads(CommandRejected.self).map(\.code) == ["duplicate-reference"])
        let settled = try settlement.send(executed("T-2", buy: "b1", sell: "s2", 60, at: 5_000), to: .matchingEvents)
        #expect(settled.payloads(FundsReleased.self).count == 1)
        #expect(settlement.ledger.invariantViolations.isEmpty)
    }

    @Test func theReadSideShowsTheSnapshotAndTheLastRestore() throws {
        let settlement = try twoDays()
        try settlement.restart()
        let (status, body) = try settlement.admin("/ledger", as: LedgerRouteBody.self)
        #expect(status == 200)
        let view = try #require(body)
        #expect(view.journalEntries == (try settlement.count("SELECT COUNT(*) FROM journal")))
        #expect(view.snapshot?.tradingDay == "2026-07-16")
        #expect(view.snapshot?.format == LedgerSnapshot.currentFormat)
        #expect((view.snapshot?.bytes ?? 0) > 100)
        #expect(view.lastRestore?.source == "snapshot")
        #expect(view.lastRestore?.entriesReplayed == Int64(view.journalEntries) - (view.snapshot?.sequence ?? 0))
    }

    @Test func aSnapshotThatDoesNotDecodeIsPassedOverForTheWholeJournal() throws {
        let settlement = try twoDays()
        let before = settlement.ledger
        try settlement.tamper("UPDATE ledger_snapshot SET bytes = x'454c5301'")
        try settlement.restart()
        let report = try #require(settlement.handler.host.lastRestore)
        #expect(report.source == .journal)
        #expect(report.entriesReplayed == Int64(try settlement.count("SELECT COUNT(*) FROM journal")))
        #expect(report.snapshotRefused?.contains("does not decode") == true)
        #expect(settlement.ledger == before)
    }

    @Test func aSnapshotWhosePartsDisagreeIsPassedOver() throws {
        let settlement = try twoDays()
        let before = settlement.ledger
        let stored = try #require(try settlement.loop.store.read { try LedgerSnapshotTable.load($0, as: LedgerSnapshot.self) })
        var snapshot = stored
        snapshot.totals.deposited += 1
        let bytes = Data(snapshot.encoded())
        try settlement.loop.store.write { try $0.execute(sql: "UPDATE ledger_snapshot SET bytes = ?", arguments: [bytes]) }
        try settlement.restart()
        let report = try #require(settlement.handler.host.lastRestore)
        #expect(report.source == .journal)
        #expect(report.snapshotRefused?.contains("invalid-snapshot") == true)
        #expect(settlement.ledger == before)
    }

    @Test func aSnapshotThatGivesOtherBalancesThanTheStoredRowsIsPassedOver() throws {
        let settlement = try twoDays()
        // The snapshot is sound but the rows say otherwise: trust neither shortcut, replay it all.
        try settlement.tamper("UPDATE accounts SET available = available + 1 WHERE accountId = 'B-co'")
        try settlement.restart()
        let report = try #require(settlement.handler.host.lastRestore)
        #expect(report.source == .journal)
        #expect(report.snapshotRefused?.contains("other balances than the stored rows") == true)
    }

    @Test func aJournalThatEndsBeforeTheSnapshotIsPassedOver() throws {
        let settlement = try twoDays()
        // A snapshot that claims entries the journal does not hold (a store put together from
        // two copies, say): restoring it would leave a gap before the next entry.
        let stored = try #require(try settlement.loop.store.read { try LedgerSnapshotTable.load($0, as: LedgerSnapshot.self) })
        try settlement.tamper("DELETE FROM journal WHERE seq >= \(stored.sequence)")
        try settlement.restart()
        let report = try #require(settlement.handler.host.lastRestore)
        #expect(report.source == .journal)
        #expect(report.snapshotRefused?.contains("before the snapshot's \(stored.sequence)") == true)
        #expect(settlement.ledger.lastSequence == stored.sequence - 1)
    }

    @Test func aSnapshotIsAlsoStoredEveryNEntriesSoTheFirstDayRestartsFastToo() throws {
        let settlement = try SettlementHarness(configuration: SettlementConfiguration(snapshotEveryEntries: 3))
        try settlement.send(opened("2026-07-16"), to: .matchingEvents)
        for index in 1...4 {
            try settlement.send(deposit("B-co", 1_000_000, ref: "in-\(index)"), to: .settlementCommands)
        }
        // After the third entry's batch a snapshot was stored, with no close.
        let stored = try #require(try settlement.loop.store.read { try LedgerSnapshotTable.load($0, as: LedgerSnapshot.self) })
        #expect(stored.sequence == 3)
        try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        try settlement.send(deposit("B-co", 5, ref: "in-5"), to: .settlementCommands)
        #expect(try settlement.loop.store.read { try LedgerSnapshotTable.load($0, as: LedgerSnapshot.self) }?.sequence == 6)
        try settlement.send(deposit("B-co", 5, ref: "in-6"), to: .settlementCommands)
        let before = settlement.ledger
        try settlement.restart()
        let report = try #require(settlement.handler.host.lastRestore)
        #expect(report.source == .snapshot)
        #expect(report.snapshotSequence == 6 && report.entriesReplayed == 1)
        #expect(settlement.ledger == before)
        let again = try settlement.send(deposit("B-co", 1_000_000, ref: "in-2"), to: .settlementCommands)
        #expect(again.payloads(CommandRejected.self).map(\.code) == ["duplicate-reference"])
    }

    @Test func aStoreWithoutASnapshotReplaysTheWholeJournal() throws {
        let settlement = try SettlementHarness()
        try settlement.send(opened("2026-07-16"), to: .matchingEvents)
        try settlement.send(deposit("B-co", 1_000, ref: "in-1"), to: .settlementCommands)
        try settlement.restart()
        let report = try #require(settlement.handler.host.lastRestore)
        #expect(report.source == .journal)
        #expect(report.entriesReplayed == 1)
        #expect(report.snapshotRefused == nil)
    }
}
