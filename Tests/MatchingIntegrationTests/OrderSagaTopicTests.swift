import Contract
import EcoTestKit
import Foundation
import Testing

/// DESIGN.md "The order saga" over a real broker and the real `matching` executable: orders on
/// `market.orders`, holds on `registry.events` and `settlement.events`, answers on
/// `matching.events`.
@Suite("Matching over the broker", .serialized)
struct OrderSagaTopicTests {
    @Test func ordersAndTheirHoldsGiveAcceptedTradedRejectedExpiredAndTheDaysClose() async throws {
        let fixture = try await MatchingFixture()
        defer { fixture.stop() }
        let day = CivilDate(year: 2026, month: 7, day: 16)
        try await fixture.writer.send(OpenSession(instrument: .cea, tradingDay: day, referencePrice: 5_000), to: .marketOrders)
        try await fixture.events.await(SessionOpened.self)

        // A sell rests once the registry froze its allowances.
        let s1 = Saga.order("s1", "seller-1", .sell, 300, at: 5_020)
        try await fixture.writer.send(s1, to: .marketOrders)
        let (frozen, registry) = Saga.hold(for: s1)
        try await fixture.writer.send(any: frozen, to: registry)
        try await fixture.events.await(OrderAccepted.self) { $0.orderId == "s1" }

        // A buy trades at the resting price once settlement reserved its funds.
        let b1 = Saga.order("b1", "buyer-1", .buy, 200, at: 5_050)
        try await fixture.writer.send(b1, to: .marketOrders)
        let (reserved, settlement) = Saga.hold(for: b1)
        try await fixture.writer.send(any: reserved, to: settlement)
        let trade = try await fixture.events.await(TradeExecuted.self)
        #expect(trade.tradeId == "CEA-2026-07-16-000001")
        #expect(trade.price == 5_020)
        #expect(trade.quantity == 200)
        #expect(trade.buyOrderId == "b1" && trade.sellOrderId == "s1")
        #expect(trade.tradingDay == day)

        // Refused holds reject their orders with the holder's code.
        for order in [Saga.order("s2", "seller-2", .sell, 50, at: 5_000), Saga.order("b2", "buyer-2", .buy, 50, at: 5_000)] {
            try await fixture.writer.send(order, to: .marketOrders)
            let (refusal, topic) = Saga.refusal(for: order)
            try await fixture.writer.send(any: refusal, to: topic)
        }
        let s2 = try await fixture.events.await(OrderRejected.self) { $0.orderId == "s2" }
        #expect(s2.code == "insufficient-allowances" && s2.hold == .refused)
        let b2 = try await fixture.events.await(OrderRejected.self) { $0.orderId == "b2" }
        #expect(b2.code == "insufficient-funds" && b2.hold == .refused)

        // Other services' events on the same topics are ignored, not dead-lettered.
        try await fixture.writer.send(EmissionsVerified(entityId: "seller-1", year: 2025, tonnes: 10), to: .registryEvents)
        try await fixture.writer.send(TradeSettled(tradeId: trade.tradeId, buyerAccountId: "buyer-1", sellerAccountId: "seller-1",
                                                   value: 1_004_000, buyerFee: 502, sellerFee: 502), to: .settlementEvents)

        // Market data on the admin port: what is left of s1.
        try await fixture.awaitRecordsIn(11)
        try await fixture.awaitApplied(9)
        let book = try await fixture.admin("/books/CEA")
        let asks = book["asks"] as? [[String: Any]] ?? []
        #expect(asks.count == 1)
        #expect(asks.first?["price"] as? Int == 5_020)
        #expect(asks.first?["quantity"] as? Int == 100)
        let session = try await fixture.admin("/sessions/CEA")
        #expect(session["open"] as? Bool == true)
        #expect((session["listedBand"] as? [String: Any])?["upper"] as? Int == 5_500)

        // The close expires what rests and fixes the day's figures.
        try await fixture.writer.send(CloseSession(instrument: .cea, tradingDay: day), to: .marketOrders)
        let expired = try await fixture.events.await(OrderExpired.self)
        #expect(expired.orderId == "s1" && expired.remainingQuantity == 100)
        let closed = try await fixture.events.await(SessionClosed.self)
        #expect(closed.openPrice == 5_020 && closed.closePrice == 5_020 && closed.high == 5_020 && closed.low == 5_020)
        #expect(closed.volume == 200 && closed.turnover == 1_004_000)

        #expect(try fixture.deadLetters(of: .registryEvents) == 0)
        #expect(try fixture.deadLetters(of: .settlementEvents) == 0)
        #expect(try fixture.deadLetters(of: .marketOrders) == 0)
        #expect(fixture.events.payloads(CommandRejected.self).isEmpty)
    }

    @Test func withPublishDepthEveryBookChangeShowsOnMarketDepth() async throws {
        let fixture = try await MatchingFixture(extraArguments: ["--publish-depth"])
        defer { fixture.stop() }
        let depth = try TopicReader(brokers: fixture.broker.brokers, topic: .marketDepth,
                                    catalogue: PayloadCatalogue([MarketDepthUpdated.self]))
        defer { depth.close() }
        try await fixture.writer.send(OpenSession(instrument: .cea, tradingDay: CivilDate(year: 2026, month: 7, day: 16),
                                                  referencePrice: 5_000), to: .marketOrders)
        for (id, price) in [("s1", Int64(5_030)), ("s2", 5_010), ("s3", 5_010)] {
            let order = Saga.order(id, "seller-\(id)", .sell, 100, at: price)
            try await fixture.writer.send(order, to: .marketOrders)
            let (hold, topic) = Saga.hold(for: order)
            try await fixture.writer.send(any: hold, to: topic)
            try await fixture.events.await(OrderAccepted.self) { $0.orderId == id }
        }
        let last = try await depth.await(MarketDepthUpdated.self) { $0.asks.count == 2 && $0.asks.first?.orders == 2 }
        #expect(last.asks == [MarketDepthLevel(price: 5_010, quantity: 200, orders: 2),
                              MarketDepthLevel(price: 5_030, quantity: 100, orders: 1)])
        #expect(last.bids.isEmpty)
        #expect(depth.payloads(MarketDepthUpdated.self).map(\.sequence) == depth.payloads(MarketDepthUpdated.self).map(\.sequence).sorted())
    }
}
