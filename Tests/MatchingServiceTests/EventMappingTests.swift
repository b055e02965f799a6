import Contract
import Foundation
@testable import MatchingService
import Testing

/// Each of the engine's outputs becomes the contract event DESIGN.md names, on
/// `matching.events`, keyed by instrument.
@Suite("Matching events")
struct EventMappingTests {
    @Test func openSessionAnswersSessionOpenedWithTheReferencePrice() throws {
        let h = try MatchingHarness()
        try h.send(Script.open(5_000))
        let opened = try #require(try h.payloads(SessionOpened.self).first)
        #expect(opened == SessionOpened(instrument: .cea, tradingDay: Script.day, referencePrice: 5_000))
        #expect(try h.outbox(.matchingEvents).first?.key == Data("CEA".utf8))
    }

    @Test func aCrossingOrderGivesAcceptedThenTradeAtTheRestingPriceStampedWithTheRecordTime() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.submitHeld(Script.sell("s1", "seller", 300, at: 5_010))
        try h.submitHeld(Script.buy("b1", "buyer", 200, at: 5_050))
        #expect(try h.types() == ["SessionOpened", "OrderAccepted", "OrderAccepted", "TradeExecuted"])
        let accepted = try h.payloads(OrderAccepted.self)
        #expect(accepted[1] == OrderAccepted(orderId: "b1", accountId: "buyer", instrument: .cea, side: .buy,
                                             method: .listed, quantity: 200, price: 5_050))
        let trade = try #require(try h.payloads(TradeExecuted.self).first)
        let holdTime = Timestamp(millisecondsSinceEpoch: MatchingHarness.start + Int64(h.sent))
        #expect(trade == TradeExecuted(tradeId: "CEA-2026-07-16-000001", instrument: .cea, method: .listed, price: 5_010,
                                       quantity: 200, buyOrderId: "b1", sellOrderId: "s1", buyerAccountId: "buyer",
                                       sellerAccountId: "seller", executedAt: holdTime, tradingDay: Script.day))
    }

    @Test func anOrderOutsideTheBandIsRejectedAtOnceWithItsHoldNotYetPlaced() throws {
        let h = try MatchingHarness()
        try h.send(Script.open(5_000))
        try h.send(Script.buy("b1", "buyer", 10, at: 5_501))
        let rejected = try #require(try h.payloads(OrderRejected.self).first)
        #expect(rejected.code == "price-outside-band")
        #expect(rejected.hold == .notPlaced)
        #expect(rejected.instrument == .cea)
        #expect(rejected.reason.contains("4500...5500"))
    }

    @Test func cancelGivesOrderCancelledWithTheRemainder() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.submitHeld(Script.sell("s1", "seller", 300, at: 5_000))
        try h.submitHeld(Script.buy("b1", "buyer", 100, at: 5_000))
        try h.send(CancelOrder(orderId: "s1", accountId: "seller", instrument: .cea))
        #expect(try h.payloads(OrderCancelled.self)
            == [OrderCancelled(orderId: "s1", accountId: "seller", instrument: .cea, remainingQuantity: 200)])
    }

    @Test func closeExpiresRestingOrdersThenSummarisesTheDayWithTheListedVWAPAsClose() throws {
        let h = try MatchingHarness()
        try h.send(Script.open(5_000))
        try h.submitHeld(Script.sell("s1", "seller", 100, at: 5_000))
        try h.submitHeld(Script.sell("s2", "seller", 300, at: 5_100))
        try h.submitHeld(Script.buy("b1", "buyer", 250, at: 5_100))  // 100 @ 5000, 150 @ 5100
        try h.submitHeld(Script.buy("b2", "buyer", 10, at: 4_900))
        try h.send(Script.close())
        let tail = try h.types().suffix(3)
        #expect(Array(tail) == ["OrderExpired", "OrderExpired", "SessionClosed"])
        #expect(Set(try h.payloads(OrderExpired.self).map(\.orderId)) == ["s2", "b2"])
        let closed = try #require(try h.payloads(SessionClosed.self).first)
        #expect(closed.openPrice == 5_000)
        #expect(closed.closePrice == 5_060)  // (100 x 5000 + 150 x 5100) / 250
        #expect(closed.high == 5_100)
        #expect(closed.low == 5_000)
        #expect(closed.volume == 250)
        #expect(closed.turnover == 1_265_000)
        #expect(closed.tradeCount == 2)
        #expect(closed.referencePrice == 5_000)
    }

    @Test func thePreviousCloseIsTheNextDaysReference() throws {
        let h = try MatchingHarness()
        try h.send(Script.open(5_000))
        try h.submitHeld(Script.sell("s1", "seller", 100, at: 5_200))
        try h.submitHeld(Script.buy("b1", "buyer", 100, at: 5_200))
        try h.send(Script.close())
        try h.send(Script.open(nil, day: Script.day.adding(days: 1)))
        #expect(try h.payloads(SessionOpened.self).last?.referencePrice == 5_200)
    }

    @Test func aDayOpensOnceSoTradeIdsNeverRepeat() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.send(Script.close())
        try h.send(Script.open())
        let refusal = try #require(try h.payloads(CommandRejected.self).first)
        #expect(refusal.code == "trading-day-already-opened")
        #expect(refusal.commandType == "OpenSession")
        #expect(refusal.key == "CEA")
    }

    @Test func refusalsThatTouchNoHoldAreCommandRejectedNamingTheCommand() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.send(CancelOrder(orderId: "nope", accountId: "a", instrument: .cea))
        let events = try h.events()
        let refusal = try #require(events.last?.payload(as: CommandRejected.self))
        #expect(refusal.code == "unknown-order")
        #expect(refusal.commandType == "CancelOrder")
        #expect(refusal.commandId == DeterministicID.nameBased("matching-test/2").uuidString.lowercased())
        #expect(try h.payloads(OrderRejected.self).isEmpty)
    }

    @Test func aBlockQuoteTradesWithItsNamedCounterpartysMirrorQuote() throws {
        let h = try MatchingHarness()
        try h.send(Script.open(5_000))
        try h.submitHeld(Script.sell("s1", "seller", 100_000, at: 6_000, method: .block, counterparty: "buyer"))
        try h.submitHeld(Script.buy("b1", "buyer", 100_000, at: 6_000, method: .block, counterparty: "seller"))
        let trade = try #require(try h.payloads(TradeExecuted.self).first)
        #expect(trade.method == .block)
        #expect(trade.price == 6_000)
        try h.send(Script.close())
        let closed = try #require(try h.payloads(SessionClosed.self).first)
        #expect(closed.closePrice == 5_000, "block trades do not set the close")
        #expect(closed.blockVolume == 100_000)
    }

    @Test func closeSessionsReferencePriceClosesADayWithoutListedTradesAndOutlivesARestart() throws {
        let h = try MatchingHarness()
        try h.send(Script.open(5_000))
        try h.submitHeld(Script.sell("s1", "seller", 100_000, at: 5_400, method: .block, counterparty: "buyer"))
        try h.submitHeld(Script.buy("b1", "buyer", 100_000, at: 5_400, method: .block, counterparty: "seller"))
        try h.send(Script.close(referencePrice: 5_350))
        let closed = try #require(try h.payloads(SessionClosed.self).first)
        #expect(closed.closePrice == 5_350)
        #expect(closed.referencePrice == 5_000)
        // The close was journaled with its price: a restart rebuilds the same previous close.
        try h.restart()
        try h.send(Script.open(nil, day: CivilDate(year: 2026, month: 7, day: 17)))
        #expect(try h.payloads(SessionOpened.self).last?.referencePrice == 5_350)
    }

    @Test func setTradingPhaseLimitsTheMethodsAccepted() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.send(SetTradingPhase(instrument: .cea, methods: [.listed], phase: "morning"))
        try h.send(Script.sell("s1", "seller", 100_000, at: 5_000, method: .block, counterparty: "buyer"))
        #expect(try h.payloads(OrderRejected.self).first?.code == "method-not-enabled")
        try h.send(SetTradingPhase(instrument: .cea, methods: [], phase: "lunch-break"))
        try h.send(Script.sell("s2", "seller", 100, at: 5_000))
        #expect(try h.payloads(OrderRejected.self).last?.orderId == "s2")
    }

    @Test func closeAuctionAllocatesByPriceThenTimeEachWinnerPayingItsBid() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.submitHeld(Script.sell("auth", "authority", 150, at: 4_000, method: .auction))
        try h.submitHeld(Script.buy("b1", "early", 100, at: 4_500, method: .auction))
        try h.submitHeld(Script.buy("b2", "late", 100, at: 4_800, method: .auction))
        try h.send(CloseAuction(instrument: .cea))
        let trades = try h.payloads(TradeExecuted.self)
        #expect(trades.map(\.buyOrderId) == ["b2", "b1"])
        #expect(trades.map(\.price) == [4_800, 4_500])
        #expect(trades.map(\.quantity) == [100, 50])
        #expect(try h.payloads(OrderExpired.self).map(\.orderId) == ["b1"])
    }

    @Test func publishedDepthShowsTheBestLevelsAfterEachChange() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(publishDepth: true))
        try h.send(Script.open())
        try h.submitHeld(Script.sell("s1", "seller", 100, at: 5_010))
        try h.submitHeld(Script.sell("s2", "seller", 50, at: 5_010))
        try h.submitHeld(Script.buy("b1", "buyer", 30, at: 4_990))
        let depths = try h.outbox(.marketDepth).map { try h.codec.decode($0.value, catalogue: PayloadCatalogue([MarketDepthUpdated.self])) }
            .compactMap { $0.payload(as: MarketDepthUpdated.self) }
        #expect(depths.count == 4, "one for the open, one per accepted listed order")
        let last = try #require(depths.last)
        #expect(last.asks == [MarketDepthLevel(price: 5_010, quantity: 150, orders: 2)])
        #expect(last.bids == [MarketDepthLevel(price: 4_990, quantity: 30, orders: 1)])
        #expect(last.tradingDay == Script.day)
        #expect(depths.map(\.sequence) == depths.map(\.sequence).sorted())
    }

    @Test func withoutTheFlagNoDepthIsPublished() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.submitHeld(Script.sell("s1", "seller", 100, at: 5_010))
        #expect(try h.outbox(.marketDepth).isEmpty)
    }
}
