import Contract
import EcoTestKit
import Foundation
import Testing

/// DESIGN.md "The order saga", end to end: the real `registry`, `matching` and `settlement`
/// executables over one broker. The test plays the operators and the participants only: it
/// registers the entities, allocates allowances, deposits funds, opens the session and submits
/// orders; everything else is the services talking to each other over the topics.
@Suite("The order saga end to end", .serialized)
struct OrderSagaEndToEndTests {
    /// S-co (a power plant) holds 613,900 t of CEA; B-co and C-co are investors; B-co has
    /// 10,000,000 fen; the CEA session of 2026-07-16 is open at a reference price of 5,000.
    private func market() async throws -> MarketFixture {
        let fixture = try await MarketFixture(market: true)
        let writer = fixture.writer
        guard let registryEvents = fixture.registryEvents, let matchingEvents = fixture.matchingEvents else {
            throw TestKitError("the market fixture has no registry or matching readers")
        }
        for profile in [plant("S-co"), investor("B-co"), investor("C-co")] {
            try await writer.send(RegisterEntity(profile), to: .registryCommands, source: "ops")
        }
        try await registryEvents.awaitCount(3) { $0.type == "EntityRegistered" }
        try await writer.send(RecordUnitOutput(entityId: "S-co", unitId: "U1", year: 2019, electricityMWh: 1_000_000, heatGJ: 0,
                                               loadRate: 0.9, heatSupplyRatio: 0), to: .registryCommands, source: "ops")
        try await fixture.eventually("S-co's output is recorded") {
            guard let answer = try await fixture.registry?.admin("/entities/S-co/outputs") else { return false }
            return answer.status == 200 && String(decoding: answer.body, as: UTF8.self).contains("2019")
        }
        try await writer.send(AllocateAllowances(year: 2020, phase: .pre), to: .registryCommands, source: "ops")
        let allocated = try await registryEvents.await(AllowancesAllocated.self) { $0.entityId == "S-co" }
        #expect(allocated.quantity == 613_900)
        try await writer.send(DepositFunds(accountId: "B-co", amount: 10_000_000, reference: "bank-1"), to: .settlementCommands,
                              source: "bank")
        try await fixture.settlementEvents.await(FundsDeposited.self) { $0.accountId == "B-co" }
        try await writer.send(OpenSession(instrument: .cea, tradingDay: day16, referencePrice: 5_000), to: .marketOrders,
                              source: "ops")
        try await matchingEvents.await(SessionOpened.self)
        return fixture
    }

    @Test func crossingOrdersTradeDeliverAndSettleAndRefusedOrdersMoveNothing() async throws {
        let fixture = try await market()
        defer { fixture.stop() }
        let registry = try #require(fixture.registry)
        let registryEvents = try #require(fixture.registryEvents)
        let matchingEvents = try #require(fixture.matchingEvents)
        let (writer, settlementEvents) = (fixture.writer, fixture.settlementEvents)

        // A sell and a crossing buy: the buy improves on its limit (5,100) at the resting 5,000.
        try await writer.send(sell("s1", by: "S-co", 1_000, at: 5_000), to: .marketOrders, source: "participant")
        try await registryEvents.await(AllowancesFrozen.self) { $0.orderId == "s1" }
        try await matchingEvents.await(OrderAccepted.self) { $0.orderId == "s1" }
        try await writer.send(buy("b1", by: "B-co", 1_000, at: 5_100), to: .marketOrders, source: "participant")
        let reserved = try await settlementEvents.await(FundsReserved.self) { $0.orderId == "b1" }
        #expect(reserved.amount == 1_000 * (5_100 + 3))
        let trade = try await matchingEvents.await(TradeExecuted.self)
        #expect(trade.buyOrderId == "b1" && trade.sellOrderId == "s1" && trade.price == 5_000 && trade.quantity == 1_000)
        let delivery = try await registryEvents.await(AllowancesTransferred.self) { $0.tradeId == trade.tradeId }
        #expect(delivery == AllowancesTransferred(tradeId: trade.tradeId, fromAccountId: "S-co", toAccountId: "B-co",
                                                  instrument: .cea, quantity: 1_000))
        let settled = try await settlementEvents.await(TradeSettled.self) { $0.tradeId == trade.tradeId }
        #expect(settled == TradeSettled(tradeId: trade.tradeId, buyerAccountId: "B-co", sellerAccountId: "S-co",
                                        value: 5_000_000, buyerFee: 2_500, sellerFee: 2_500,
                                        buyOrderId: "b1", sellOrderId: "s1"))
        // Price improvement and the unused fee hold came back to the buyer.
        let released = try await settlementEvents.await(FundsReleased.self) { $0.orderId == "b1" }
        #expect(released.amount == 1_000 * 5_103 - 5_002_500)

        try await fixture.eventually("the buyer's balances settle") {
            try await fixture.account("B-co").available == 10_000_000 - 5_002_500
        }
        #expect(try await fixture.account("B-co").reserved == 0)
        #expect(try await fixture.account("S-co").available == 4_997_500)
        #expect(try await holding(fixture, "S-co") == Holding(held: 612_900, frozen: 0, acquiredToday: 0))
        #expect(try await holding(fixture, "B-co") == Holding(held: 1_000, frozen: 0, acquiredToday: 1_000))

        // Refusals: no funds (C-co), no sellable allowances (B-co bought today: T+1), a band
        // breach on each side, and orders after the close. Each ends with its holds released.
        let funds = try await fixture.account("B-co")
        try await writer.send(buy("b-nofunds", by: "C-co", 10, at: 5_000), to: .marketOrders, source: "participant")
        try await writer.send(sell("s-t1", by: "B-co", 10, at: 5_000), to: .marketOrders, source: "participant")
        try await writer.send(buy("b-band", by: "B-co", 10, at: 6_000), to: .marketOrders, source: "participant")
        try await writer.send(sell("s-band", by: "S-co", 10, at: 4_000), to: .marketOrders, source: "participant")
        #expect(try await settlementEvents.await(ReserveRejected.self) { $0.orderId == "b-nofunds" }.code == "unknown-account")
        #expect(try await registryEvents.await(FreezeRejected.self) { $0.orderId == "s-t1" }.code
                == "insufficient-sellable-allowances")
        for orderId in ["b-nofunds", "s-t1", "b-band", "s-band"] {
            try await matchingEvents.await(OrderRejected.self) { $0.orderId == orderId }
        }
        try await writer.send(CloseSession(instrument: .cea, tradingDay: day16), to: .marketOrders, source: "ops")
        try await matchingEvents.await(SessionClosed.self)
        try await writer.send(buy("b-closed", by: "B-co", 10, at: 5_000), to: .marketOrders, source: "participant")
        try await writer.send(sell("s-closed", by: "S-co", 10, at: 5_000), to: .marketOrders, source: "participant")
        for orderId in ["b-closed", "s-closed"] {
            try await matchingEvents.await(OrderRejected.self) { $0.orderId == orderId }
        }
        try await fixture.eventually("every hold is released") {
            let buyer = try await fixture.account("B-co")
            let seller = try await holding(fixture, "S-co")
            let open = try await fixture.fundsTotals().openReservations
            return buyer.reserved == 0 && seller.frozen == 0 && open == 0
        }
        #expect(try await fixture.account("B-co") == funds, "nothing moved")
        #expect(try await holding(fixture, "S-co") == Holding(held: 612_900, frozen: 0, acquiredToday: 0))
        #expect(matchingEvents.payloads(TradeExecuted.self).count == 1)

        // The day's end: statements and a balanced reconciliation.
        let reconciliation = try await settlementEvents.await(ReconciliationCompleted.self)
        #expect(reconciliation.balanced, "\(reconciliation.breaks)")
        let statements = settlementEvents.payloads(StatementIssued.self)
        #expect(Set(statements.map(\.accountId)) == ["B-co", "S-co"])

        // DESIGN.md's invariants at this quiet point.
        let allowances = try await fixture.admin(registry, "/totals", as: RegistryTotals.self)
        #expect(allowances.balanced)
        let cea = try #require(allowances.instruments.first { $0.instrument == "CEA" })
        #expect(cea.held == 613_900 && cea.frozen == 0 && cea.retired == 0, "total allowances = allocated - surrendered")
        let money = try await fixture.fundsTotals()
        #expect(money.balanced, "\(money.problems)")
        #expect(money.participantFunds == money.deposited - money.withdrawn - money.feesCharged)
        #expect(money.feeAccount == money.feesCharged && money.feesCharged == 5_000 && money.clearing == 0)
        let tradeIds = settlementEvents.payloads(TradeSettled.self).map(\.tradeId)
        #expect(tradeIds == matchingEvents.payloads(TradeExecuted.self).map(\.tradeId), "each trade settles exactly once")
        for topic in [Topic.settlementCommands, .marketOrders, .matchingEvents, .registryEvents, .settlementEvents] {
            #expect(try await fixture.deadLetters(of: topic) == 0, "\(topic)")
        }
    }

    private func holding(_ fixture: MarketFixture, _ entityId: String) async throws -> Holding {
        guard let registry = fixture.registry else { throw TestKitError("no registry") }
        let body = try await fixture.admin(registry, "/entities/\(entityId)/holdings", as: HoldingsBody.self)
        return body.holdings.first { $0.instrument == "CEA" }.map { Holding(held: $0.held, frozen: $0.frozen, acquiredToday: $0.acquiredToday) }
            ?? Holding(held: 0, frozen: 0, acquiredToday: 0)
    }
}

struct Holding: Equatable {
    var held: Int64
    var frozen: Int64
    var acquiredToday: Int64
}

struct HoldingsBody: Decodable {
    struct Row: Decodable {
        var instrument: String
        var held: Int64
        var frozen: Int64
        var acquiredToday: Int64
    }

    var holdings: [Row]
}

struct RegistryTotals: Decodable {
    struct Instrument: Decodable {
        var instrument: String
        var held: Int64
        var frozen: Int64
        var retired: Int64
    }

    var balanced: Bool
    var instruments: [Instrument]
}
