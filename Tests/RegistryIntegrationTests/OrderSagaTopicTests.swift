import Contract
import EcoTestKit
import Foundation
import Testing

/// The registry's side of the order saga over a real broker. The test plays the participants
/// (`market.orders`) and matching (`matching.events`), and reads `registry.events`.
@Suite("Registry order saga over the broker", .serialized)
struct OrderSagaTopicTests {
    /// S-co holds 613,900 t CEA; B-co is a registered investor; the 2026-07-16 session is open.
    private func seller(arguments: [String] = []) async throws -> RegistryFixture {
        let fixture = try await RegistryFixture(extraArguments: arguments)
        try await fixture.writer.send(RegisterEntity(plant("S-co")), to: .registryCommands)
        try await fixture.writer.send(RegisterEntity(investorProfile("B-co")), to: .registryCommands)
        try await fixture.writer.send(unitOutput("S-co", year: 2019, mwh: 1_000_000), to: .registryCommands)
        try await fixture.awaitOutputs("S-co", count: 1)
        try await fixture.events.await(EntityRegistered.self) { $0.profile.entityId == "B-co" }
        try await fixture.writer.send(AllocateAllowances(year: 2020, phase: .pre), to: .registryCommands)
        try await fixture.events.await(AllowancesAllocated.self) { $0.entityId == "S-co" }
        try await fixture.writer.send(SessionOpened(instrument: .cea, tradingDay: CivilDate(year: 2026, month: 7, day: 16),
                                                    referencePrice: 5_000), to: .matchingEvents, source: "matching")
        return fixture
    }

    private func executed(_ tradeId: String, sellOrder: String, quantity: Int64) -> TradeExecuted {
        TradeExecuted(tradeId: tradeId, instrument: .cea, method: .listed, price: 5_000, quantity: quantity,
                      buyOrderId: "B-\(tradeId)", sellOrderId: sellOrder, buyerAccountId: "B-co", sellerAccountId: "S-co",
                      executedAt: .now(), tradingDay: CivilDate(year: 2026, month: 7, day: 16))
    }

    @Test func freezeTransferOnceAndUnfreezeTheRest() async throws {
        let fixture = try await seller()
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.events)

        try await writer.send(SubmitOrder(orderId: "O-1", accountId: "S-co", instrument: .cea, side: .sell, method: .listed,
                                          quantity: 1_000, price: 5_000), to: .marketOrders, source: "participant")
        let frozen = try await events.await(AllowancesFrozen.self) { $0.orderId == "O-1" }
        #expect(frozen == AllowancesFrozen(orderId: "O-1", accountId: "S-co", instrument: .cea, quantity: 1_000))
        #expect(try await fixture.holding("S-co").frozen == 1_000)

        try await writer.send(OrderAccepted(orderId: "O-1", accountId: "S-co", instrument: .cea, side: .sell, method: .listed,
                                            quantity: 1_000, price: 5_000), to: .matchingEvents, source: "matching")
        let trade = Envelope(command: executed("T-1", sellOrder: "O-1", quantity: 400), source: "matching")
        try await writer.send(trade, to: .matchingEvents)
        try await writer.send(trade, to: .matchingEvents)  // redelivered: same event id
        try await writer.send(executed("T-1", sellOrder: "O-1", quantity: 400), to: .matchingEvents, source: "matching")
        let transferred = try await events.await(AllowancesTransferred.self) { $0.tradeId == "T-1" }
        #expect(transferred == AllowancesTransferred(tradeId: "T-1", fromAccountId: "S-co", toAccountId: "B-co",
                                                     instrument: .cea, quantity: 400))

        try await writer.send(OrderCancelled(orderId: "O-1", accountId: "S-co", instrument: .cea, remainingQuantity: 600),
                              to: .matchingEvents, source: "matching")
        let unfrozen = try await events.await(AllowancesUnfrozen.self) { $0.orderId == "O-1" }
        #expect(unfrozen.quantity == 600)
        #expect(events.payloads(AllowancesTransferred.self).count == 1, "the trade was delivered once")

        #expect(try await fixture.holding("S-co") == HoldingRow(instrument: "CEA", held: 613_500, frozen: 0, available: 613_500,
                                                                 acquiredToday: 0, sellable: 613_500, retired: 0))
        #expect(try await fixture.holding("B-co") == HoldingRow(instrument: "CEA", held: 400, frozen: 0, available: 400,
                                                                 acquiredToday: 400, sellable: 0, retired: 0))
        let totals = try await fixture.totals()
        #expect(totals.balanced)
        #expect(totals.of("CEA")?.held == 613_900)
        #expect(totals.of("CEA")?.frozen == 0)
    }

    @Test func boughtTodaySellsTomorrowAndRefusalsChangeNothing() async throws {
        let fixture = try await seller()
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.events)
        try await writer.send(SubmitOrder(orderId: "O-1", accountId: "S-co", instrument: .cea, side: .sell, method: .listed,
                                          quantity: 500, price: 5_000), to: .marketOrders)
        try await events.await(AllowancesFrozen.self) { $0.orderId == "O-1" }
        try await writer.send(executed("T-1", sellOrder: "O-1", quantity: 500), to: .matchingEvents, source: "matching")
        try await events.await(AllowancesTransferred.self) { $0.tradeId == "T-1" }
        let before = try await fixture.totals()

        let orders: [(String, String, Int64)] = [("O-2", "B-co", 100), ("O-3", "X-co", 1), ("O-4", "S-co", 700_000)]
        for (orderId, account, quantity) in orders {
            try await writer.send(SubmitOrder(orderId: orderId, accountId: account, instrument: .cea, side: .sell, method: .listed,
                                              quantity: quantity, price: 5_000), to: .marketOrders)
        }
        var codes: [String] = []
        for (orderId, _, _) in orders {
            codes.append(try await events.await(FreezeRejected.self) { $0.orderId == orderId }.code)
        }
        #expect(codes == ["insufficient-sellable-allowances", "unknown-account", "insufficient-sellable-allowances"])
        let stray = try await writer.send(executed("T-9", sellOrder: "O-none", quantity: 1), to: .matchingEvents, source: "matching")
        let refusal = try await events.await(CommandRejected.self) { $0.commandId == stray.uuidString.lowercased() }
        #expect(refusal.code == "unknown-hold")
        #expect(try await fixture.totals() == before)

        try await writer.send(SessionOpened(instrument: .cea, tradingDay: CivilDate(year: 2026, month: 7, day: 17),
                                            referencePrice: 5_000), to: .matchingEvents, source: "matching")
        try await fixture.awaitTradingDay("2026-07-17")  // another topic than the order: wait as matching would
        try await writer.send(SubmitOrder(orderId: "O-5", accountId: "B-co", instrument: .cea, side: .sell, method: .listed,
                                          quantity: 500, price: 5_100), to: .marketOrders)
        let nextDay = try await events.await(AllowancesFrozen.self) { $0.orderId == "O-5" }
        #expect(nextDay.quantity == 500)
        try await writer.send(OrderExpired(orderId: "O-5", accountId: "B-co", instrument: .cea, remainingQuantity: 500),
                              to: .matchingEvents, source: "matching")
        try await events.await(AllowancesUnfrozen.self) { $0.orderId == "O-5" }
        #expect(try await fixture.totals().balanced)
        #expect(try await fixture.holding("B-co").sellable == 500)
    }

    /// `--snapshot-every-entries` reaches the ledger: with 2, every batch that takes the journal
    /// two entries past the stored snapshot ends with a new one, so a SIGKILL mid-day replays at
    /// most one entry.
    @Test func snapshotEveryEntriesKeepsTheReplayShortDuringADay() async throws {
        let fixture = try await seller(arguments: ["--snapshot-every-entries", "2"])
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.events)
        try await fixture.awaitTradingDay("2026-07-16")
        for number in 1...5 {
            try await writer.send(SubmitOrder(orderId: "O-\(number)", accountId: "S-co", instrument: .cea, side: .sell,
                                              method: .listed, quantity: 10, price: 5_000), to: .marketOrders)
            try await events.await(AllowancesFrozen.self) { $0.orderId == "O-\(number)" }
        }
        fixture.registry.kill9()
        try fixture.registry.start()
        try await fixture.registry.waitUntilReady()
        let view = try await fixture.adminJSON("/ledger", as: LedgerRouteBody.self)
        let snapshot = try #require(view.snapshot)
        #expect(view.lastRestore?.source == "snapshot")
        let replayed = try #require(view.lastRestore?.entriesReplayed)
        #expect(replayed < 2, "at most one entry after the last snapshot")
        #expect(Int64(view.journalEntries) == snapshot.sequence + replayed)
        #expect(try await fixture.holding("S-co").frozen == 50, "the five holds, each once")
    }

    @Test func aRegistryKilledDuringADayRestartsFromTheSnapshotOfItsStart() async throws {
        let fixture = try await seller()
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.events)
        try await fixture.awaitTradingDay("2026-07-16")
        try await writer.send(SubmitOrder(orderId: "O-1", accountId: "S-co", instrument: .cea, side: .sell, method: .listed,
                                          quantity: 500, price: 5_000), to: .marketOrders)
        try await events.await(AllowancesFrozen.self) { $0.orderId == "O-1" }
        try await writer.send(executed("T-1", sellOrder: "O-1", quantity: 300), to: .matchingEvents, source: "matching")
        try await events.await(AllowancesTransferred.self) { $0.tradeId == "T-1" }
        let before = try await fixture.totals()

        fixture.registry.kill9()
        try fixture.registry.start()
        try await fixture.registry.waitUntilReady()
        let view = try await fixture.adminJSON("/ledger", as: LedgerRouteBody.self)
        #expect(view.snapshot?.tradingDay == "2026-07-16")
        #expect(view.lastRestore?.source == "snapshot")
        #expect(view.lastRestore?.entriesReplayed == 2, "the freeze and the transfer after the day started")
        #expect(Int64(view.journalEntries) == (view.snapshot?.sequence ?? 0) + 2)

        // The snapshot and the tail still guard and still hold: T-1 again moves nothing, the
        // rest of O-1 trades once.
        let again = try await writer.send(executed("T-1", sellOrder: "O-1", quantity: 300), to: .matchingEvents, source: "matching")
        try await writer.send(executed("T-2", sellOrder: "O-1", quantity: 200), to: .matchingEvents, source: "matching")
        try await events.await(AllowancesTransferred.self) { $0.tradeId == "T-2" }
        try await Task.sleep(for: .milliseconds(500))
        // A copy published again after the kill keeps its event id; a second transfer would not.
        var ids: [String: Set<String>] = [:]
        for record in events.records where record.type == "AllowancesTransferred" {
            guard let tradeId = record.payload(AllowancesTransferred.self)?.tradeId, let id = record.id else { continue }
            ids[tradeId, default: []].insert(id)
        }
        #expect(ids.mapValues(\.count) == ["T-1": 1, "T-2": 1])
        #expect(events.payloads(CommandRejected.self).allSatisfy { $0.commandId != again.uuidString.lowercased() })
        let after = try await fixture.totals()
        #expect(after.balanced && after.of("CEA")?.held == before.of("CEA")?.held)
        #expect(try await fixture.holding("B-co").held == 500)
    }
}
