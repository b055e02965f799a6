import Contract
import EcoTestKit
import Foundation
import GRDB
import Testing

/// The real `settlement` executable over a real broker. The test plays the banks
/// (`settlement.commands`), the participants (`market.orders`), matching (`matching.events`)
/// and the registry (`registry.events`), and reads `settlement.events`.
@Suite("Settlement over the broker", .serialized)
struct SettlementTopicTests {
    private func executed(_ tradeId: String, buyOrder: String, _ quantity: Int64, at price: Int64,
                          on day: CivilDate = day16) -> TradeExecuted {
        TradeExecuted(tradeId: tradeId, instrument: .cea, method: .listed, price: price, quantity: quantity, buyOrderId: buyOrder,
                      sellOrderId: "s-\(tradeId)", buyerAccountId: "B-co", sellerAccountId: "S-co", executedAt: .now(),
                      tradingDay: day)
    }

    private func delivered(_ tradeId: String, _ quantity: Int64) -> AllowancesTransferred {
        AllowancesTransferred(tradeId: tradeId, fromAccountId: "S-co", toAccountId: "B-co", instrument: .cea, quantity: quantity)
    }

    /// Trades `T-n` of buy orders `b-n` (10 t at 5,000 fen each) as matching sends them, then
    /// their allowance legs as the registry sends them.
    private func tradeAndDeliver(_ numbers: ClosedRange<Int>, on day: CivilDate = day16, through writer: TopicWriter) async throws {
        try await writer.sendAll(numbers.map { Envelope(command: executed("T-\($0)", buyOrder: "b\($0)", 10, at: 5_000, on: day),
                                                        source: "matching") }, to: .matchingEvents)
        try await writer.sendAll(numbers.map { Envelope(command: delivered("T-\($0)", 10), source: "registry") }, to: .registryEvents)
    }

    @Test func reserveSettleOnceAlarmAndReconcile() async throws {
        let fixture = try await MarketFixture(market: false, settlementArguments: ["--leg-timeout-seconds", "2"])
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.settlementEvents)
        // The service turned SQLite's memory statistics off before its first connection.
        let log = try String(contentsOf: fixture.settlement.logURL, encoding: .utf8)
        #expect(log.contains(#""sqliteMemoryStatisticsOff":"true""#), "\(fixture.settlement.logTail())")

        try await writer.send(SessionOpened(instrument: .cea, tradingDay: day16, referencePrice: 5_000), to: .matchingEvents,
                              source: "matching")
        // Records on different topics have no order between them: the deposit must land on the
        // trading day the session opened, so wait until settlement applied the opening.
        try await fixture.eventually("settlement applied the session opening") {
            struct Counts: Decodable { var recordsIn: Int64 }
            let (_, body) = try await fixture.settlement.admin("/status")
            return try JSONDecoder().decode(Counts.self, from: body).recordsIn >= 1
        }
        try await writer.send(DepositFunds(accountId: "B-co", amount: 2_000_000, reference: "bank-1"), to: .settlementCommands)
        try await events.await(FundsDeposited.self) { $0.accountId == "B-co" }
        try await writer.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        try await writer.send(buy("b2", by: "B-co", 100, at: 5_000), to: .marketOrders)
        try await writer.send(buy("b3", by: "B-co", 1_000, at: 5_000), to: .marketOrders)
        #expect(try await events.await(FundsReserved.self) { $0.orderId == "b1" }.amount == 500_300)
        #expect(try await events.await(FundsReserved.self) { $0.orderId == "b2" }.amount == 500_300)
        #expect(try await events.await(ReserveRejected.self) { $0.orderId == "b3" }.code == "insufficient-funds")

        // Both legs twice, in either order: one TradeSettled.
        let trade = Envelope(command: executed("T-1", buyOrder: "b1", 100, at: 5_000), source: "matching")
        try await writer.send(delivered("T-1", 100), to: .registryEvents, source: "registry")
        try await writer.send(trade, to: .matchingEvents)
        try await writer.send(trade, to: .matchingEvents)  // redelivered: same event id
        try await writer.send(executed("T-1", buyOrder: "b1", 100, at: 5_000), to: .matchingEvents, source: "matching")
        try await writer.send(delivered("T-1", 100), to: .registryEvents, source: "registry")
        let settled = try await events.await(TradeSettled.self) { $0.tradeId == "T-1" }
        #expect(settled == TradeSettled(tradeId: "T-1", buyerAccountId: "B-co", sellerAccountId: "S-co", value: 500_000,
                                        buyerFee: 250, sellerFee: 250, buyOrderId: "b1", sellOrderId: "s-T-1"))

        // T-2's allowance leg never comes: the alarm after the timeout, shown on /alarms.
        try await writer.send(executed("T-2", buyOrder: "b2", 100, at: 4_900), to: .matchingEvents, source: "matching")
        let alarm = try await events.await(SettlementAlarm.self, timeout: .seconds(30)) { $0.tradeId == "T-2" }
        #expect(alarm.code == "leg-overdue" && alarm.missingLeg == .allowances)
        let alarms = try await fixture.admin(fixture.settlement, "/alarms", as: AlarmsView.self)
        #expect(alarms.alarms.contains { $0.tradeId == "T-2" && $0.code == "leg-overdue" })
        let waiting = try await fixture.admin(fixture.settlement, "/trades/T-2", as: TradeView.self)
        #expect(waiting.funds.done && !waiting.allowances.done && waiting.waitingFor == "allowances" && !waiting.settled)

        // The close: statements, and a reconciliation that reports T-2 once the wait is over.
        try await writer.send(SessionClosed(instrument: .cea, tradingDay: day16, openPrice: 5_000, closePrice: 4_950,
                                            high: 5_000, low: 4_900, volume: 200, turnover: 990_000),
                              to: .matchingEvents, source: "matching")
        let statement = try await events.await(StatementIssued.self) { $0.accountId == "B-co" }
        #expect(statement.deposits == 2_000_000 && statement.trades.count == 2 && statement.fees == 250 + 245, "\(statement)")
        let reconciliation = try await events.await(ReconciliationCompleted.self, timeout: .seconds(30))
        #expect(!reconciliation.balanced)
        #expect(reconciliation.breaks.map(\.code) == ["unsettled-trade"])
        #expect(reconciliation.breaks.first?.difference == 490_000)

        // Balances: T-1 and T-2 paid for, nothing left reserved (both fills were the orders' last).
        let buyer = try await fixture.account("B-co")
        #expect(buyer.available == 2_000_000 - 500_250 - 490_245 && buyer.reserved == 0)
        #expect(try await fixture.account("S-co").available == 499_750 + 489_755)
        let totals = try await fixture.fundsTotals()
        #expect(totals.balanced && totals.feesCharged == 500 + 490 && totals.clearing == 0)
        #expect(events.payloads(TradeSettled.self).count == 1, "T-1 settled once, T-2 not at all")
        for topic in [Topic.settlementCommands, .marketOrders, .matchingEvents, .registryEvents] {
            #expect(try await fixture.deadLetters(of: topic) == 0, "\(topic)")
        }
    }

    @Test func aKilledServiceResumesWithoutLosingOrRepeatingAnEffect() async throws {
        let fixture = try await MarketFixture(market: false)
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.settlementEvents)
        try await writer.send(SessionOpened(instrument: .cea, tradingDay: day16, referencePrice: 5_000), to: .matchingEvents,
                              source: "matching")
        try await writer.send(DepositFunds(accountId: "B-co", amount: 100_000_000, reference: "bank-1"), to: .settlementCommands)
        let orders = (1...200).map { Envelope(command: buy("b\($0)", by: "B-co", 10, at: 5_000), source: "participant") }
        try await writer.sendAll(orders, to: .marketOrders)
        try await events.awaitCount(50) { $0.type == "FundsReserved" }
        fixture.settlement.kill9()
        try fixture.settlement.start()
        try await fixture.settlement.waitUntilReady()
        let trades = (1...200).map { index in
            Envelope(command: executed("T-\(index)", buyOrder: "b\(index)", 10, at: 5_000), source: "matching")
        }
        try await writer.sendAll(trades, to: .matchingEvents)
        try await writer.sendAll((1...200).map { Envelope(command: delivered("T-\($0)", 10), source: "registry") }, to: .registryEvents)
        try await events.awaitCount(200, timeout: .seconds(60)) { $0.type == "TradeSettled" }
        try await Task.sleep(for: .seconds(1))
        let reserved = Set(events.payloads(FundsReserved.self).map(\.orderId))
        let settled = events.payloads(TradeSettled.self).map(\.tradeId)
        #expect(reserved.count == 200)
        #expect(settled.count == 200 && Set(settled).count == 200, "every trade settled exactly once")
        let buyer = try await fixture.account("B-co")
        #expect(buyer.available == 100_000_000 - 200 * 50_025 && buyer.reserved == 0)
        #expect(try await fixture.fundsTotals().balanced)
    }

    /// `--snapshot-every-entries` reaches the ledger: with 10, a day that has not closed yet
    /// already has a snapshot, and a SIGKILL mid-day replays only the entries after it.
    @Test func snapshotEveryEntriesStoresSnapshotsBeforeAnyClose() async throws {
        let fixture = try await MarketFixture(market: false, settlementArguments: ["--snapshot-every-entries", "10"])
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.settlementEvents)
        try await writer.send(SessionOpened(instrument: .cea, tradingDay: day16, referencePrice: 5_000), to: .matchingEvents,
                              source: "matching")
        try await writer.send(DepositFunds(accountId: "B-co", amount: 100_000_000, reference: "bank-1"), to: .settlementCommands)
        try await writer.sendAll((1...30).map { Envelope(command: buy("b\($0)", by: "B-co", 10, at: 5_000), source: "participant") },
                                 to: .marketOrders)
        try await events.awaitCount(30) { $0.type == "FundsReserved" }
        fixture.settlement.kill9()
        try fixture.settlement.start()
        try await fixture.settlement.waitUntilReady()
        let view = try await fixture.admin(fixture.settlement, "/ledger", as: LedgerRouteBody.self)
        let snapshot = try #require(view.snapshot, "a snapshot before any close")
        #expect(snapshot.tradingDay == "2026-07-16")
        #expect(view.lastRestore?.source == "snapshot")
        #expect(Int64(view.journalEntries) == snapshot.sequence + (view.lastRestore?.entriesReplayed ?? -1))
        #expect(snapshot.sequence >= 10)

        try await tradeAndDeliver(1...30, through: writer)
        try await events.awaitCount(30, timeout: .seconds(60)) { $0.type == "TradeSettled" }
        let buyer = try await fixture.account("B-co")
        #expect(buyer.available == 100_000_000 - 30 * 50_025 && buyer.reserved == 0)
        #expect(try await fixture.fundsTotals().balanced)
    }

    @Test func aServiceKilledTheDayAfterACloseRestartsFromItsLedgerSnapshot() async throws {
        let fixture = try await MarketFixture(market: false)
        defer { fixture.stop() }
        let (writer, events) = (fixture.writer, fixture.settlementEvents)
        let day17 = CivilDate(year: 2026, month: 7, day: 17)
        try await writer.send(SessionOpened(instrument: .cea, tradingDay: day16, referencePrice: 5_000), to: .matchingEvents,
                              source: "matching")
        try await writer.send(DepositFunds(accountId: "B-co", amount: 100_000_000, reference: "bank-1"), to: .settlementCommands)
        try await writer.sendAll((1...40).map { Envelope(command: buy("b\($0)", by: "B-co", 10, at: 5_000), source: "participant") },
                                 to: .marketOrders)
        // Topics are read side by side: a trade read before its order's reservation is refused.
        try await events.awaitCount(40) { $0.type == "FundsReserved" }
        try await tradeAndDeliver(1...40, through: writer)
        try await events.awaitCount(40, timeout: .seconds(60)) { $0.type == "TradeSettled" }
        try await writer.send(SessionClosed(instrument: .cea, tradingDay: day16, openPrice: 5_000, closePrice: 5_000,
                                            high: 5_000, low: 5_000, volume: 400, turnover: 2_000_000),
                              to: .matchingEvents, source: "matching")
        #expect(try await events.await(ReconciliationCompleted.self, timeout: .seconds(30)).balanced)

        // Day two: more buys, then a SIGKILL. The restart reads the close's snapshot and only day two's entries.
        try await writer.send(SessionOpened(instrument: .cea, tradingDay: day17, referencePrice: 5_000), to: .matchingEvents,
                              source: "matching")
        try await writer.sendAll((41...60).map { Envelope(command: buy("b\($0)", by: "B-co", 10, at: 5_000), source: "participant") },
                                 to: .marketOrders)
        try await events.awaitCount(60) { $0.type == "FundsReserved" }
        fixture.settlement.kill9()
        try fixture.settlement.start()
        try await fixture.settlement.waitUntilReady()
        let view = try await fixture.admin(fixture.settlement, "/ledger", as: LedgerRouteBody.self)
        let snapshot = try #require(view.snapshot)
        #expect(snapshot.tradingDay == "2026-07-16")
        #expect(view.lastRestore?.source == "snapshot")
        #expect(view.lastRestore?.entriesReplayed == 20, "the 20 reservations of day two")
        #expect(Int64(view.journalEntries) == snapshot.sequence + 20)

        // What the snapshot holds still guards and still settles: day one's trades and deposit
        // sent again change nothing, day two's trades settle once.
        try await writer.sendAll((1...40).map { Envelope(command: executed("T-\($0)", buyOrder: "b\($0)", 10, at: 5_000),
                                                         source: "matching") }, to: .matchingEvents)
        try await writer.send(DepositFunds(accountId: "B-co", amount: 100_000_000, reference: "bank-1"), to: .settlementCommands)
        let refused = try await events.await(CommandRejected.self) { $0.code == "duplicate-reference" }
        #expect(refused.code == "duplicate-reference")
        try await tradeAndDeliver(41...60, on: day17, through: writer)
        try await events.awaitCount(60, timeout: .seconds(60)) { $0.type == "TradeSettled" }
        try await Task.sleep(for: .seconds(1))
        let settled = events.payloads(TradeSettled.self).map(\.tradeId)
        #expect(settled.count == 60 && Set(settled).count == 60, "every trade settled exactly once")
        let buyer = try await fixture.account("B-co")
        #expect(buyer.available == 100_000_000 - 60 * 50_025 && buyer.reserved == 0)
        #expect(try await fixture.fundsTotals().balanced)
    }
}
