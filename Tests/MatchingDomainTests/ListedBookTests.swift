import Testing
@testable import MatchingDomain

/// The listed agreement: price-time priority, the resting price, partial fills, cancels, depth.
@Suite struct ListedBookTests {
    @Test func restingOrderIsAcceptedAndShownInDepth() {
        var market = Market()
        let outputs = market.order("b1", .buy, 100, at: 4_990)
        #expect(outputs.accepted.map(\.orderID) == ["b1"])
        #expect(outputs.trades.isEmpty)
        #expect(market.depth?.bids == [DepthLevel(price: 4_990, quantity: 100, orders: 1)])
        #expect(market.depth?.asks == [])
    }

    @Test func betterPriceTradesFirst() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_010)
        market.order("s2", .sell, 100, at: 5_000)
        let outputs = market.order("b1", .buy, 100, at: 5_020)
        #expect(outputs.fills == [Execution("b1", "s2", 5_000, 100)])
    }

    @Test func earlierOrderTradesFirstAtTheSamePrice() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000)
        market.order("s2", .sell, 100, at: 5_000)
        let outputs = market.order("b1", .buy, 150, at: 5_000)
        #expect(outputs.fills == [Execution("b1", "s1", 5_000, 100), Execution("b1", "s2", 5_000, 50)])
    }

    @Test func incomingOrderTradesAtTheRestingPrice() {
        var market = Market()
        market.order("b1", .buy, 100, at: 5_050)
        let outputs = market.order("s1", .sell, 100, at: 4_900)
        #expect(outputs.fills == [Execution("b1", "s1", 5_050, 100)])
        #expect(market.depth?.lastPrice == 5_050)
    }

    @Test func acceptedComesBeforeTheTrades() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000)
        let outputs = market.order("b1", .buy, 100, at: 5_000)
        guard case .accepted = outputs.first, case .trade = outputs.last else {
            Issue.record("expected accepted then trade, got \(outputs)")
            return
        }
    }

    @Test func incomingOrderWalksSeveralLevelsAndRestsTheRemainder() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000)
        market.order("s2", .sell, 100, at: 5_001)
        market.order("s3", .sell, 100, at: 5_003)
        let outputs = market.order("b1", .buy, 250, at: 5_002)
        #expect(outputs.fills == [Execution("b1", "s1", 5_000, 100), Execution("b1", "s2", 5_001, 100)])
        #expect(market.depth?.bids == [DepthLevel(price: 5_002, quantity: 50, orders: 1)])
        #expect(market.depth?.asks == [DepthLevel(price: 5_003, quantity: 100, orders: 1)])
    }

    @Test func partiallyFilledRestingOrderKeepsItsPlace() {
        var market = Market()
        market.order("s1", .sell, 300, at: 5_000)
        market.order("s2", .sell, 100, at: 5_000)
        market.order("b1", .buy, 100, at: 5_000)
        let outputs = market.order("b2", .buy, 250, at: 5_000)
        #expect(outputs.fills == [Execution("b2", "s1", 5_000, 200), Execution("b2", "s2", 5_000, 50)])
        #expect(market.depth?.asks == [DepthLevel(price: 5_000, quantity: 50, orders: 1)])
    }

    @Test func cancelRemovesTheRemainderAndReportsIt() {
        var market = Market()
        market.order("s1", .sell, 300, at: 5_000)
        market.order("b1", .buy, 100, at: 5_000)
        let outputs = market.cancel("s1")
        #expect(outputs.cancellations.map(\.remainingQuantity) == [200])
        #expect(market.depth?.asks == [])
        #expect(market.order("b2", .buy, 100, at: 5_000).trades.isEmpty)
    }

    @Test func cancelOfTheBestLevelExposesTheNextOne() {
        var market = Market()
        market.order("b1", .buy, 100, at: 5_000)
        market.order("b2", .buy, 100, at: 4_990)
        _ = market.cancel("b1")
        #expect(market.depth?.bids.first?.price == 4_990)
        #expect(market.order("s1", .sell, 100, at: 4_990).fills == [Execution("b2", "s1", 4_990, 100)])
    }

    @Test func cancelOfAFilledOrderIsRefusedAsACommand() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000)
        market.order("b1", .buy, 100, at: 5_000)
        let outputs = market.cancel("s1")
        #expect(outputs.commandRejections.map(\.code) == [.orderNotOpen])
        #expect(outputs.cancellations.isEmpty)
    }

    @Test func cancelByAnotherAccountIsRefused() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000)
        #expect(market.cancel("s1", account: "intruder").commandRejections.map(\.code) == [.notOrderOwner])
        #expect(market.depth?.asks.count == 1)
    }

    @Test func cancelOfAnUnknownOrderIsRefused() {
        var market = Market()
        #expect(market.cancel("nope").commandRejections.map(\.code) == [.unknownOrder])
    }

    @Test func depthShowsTheBestFiveLevelsWithTotalsAndCounts() {
        var market = Market()
        for (index, price) in [4_990, 4_991, 4_992, 4_993, 4_994, 4_995].enumerated() {
            market.order("b\(index)", .buy, 10, at: Int64(price))
        }
        market.order("extra", .buy, 5, at: 4_995)
        let bids = market.depth?.bids ?? []
        #expect(bids.map(\.price) == [4_995, 4_994, 4_993, 4_992, 4_991])
        #expect(bids.first == DepthLevel(price: 4_995, quantity: 15, orders: 2))
    }

    @Test func duplicateOrderIDIsRefusedWithoutTouchingTheOriginal() {
        var market = Market()
        market.order("x", .buy, 100, at: 5_000)
        let outputs = market.submit("x", .sell, 100, at: 5_000)
        #expect(outputs.commandRejections.map(\.code) == [.duplicateOrderID])
        #expect(outputs.rejections.isEmpty)
        #expect(market.depth?.bids.count == 1)
    }

    @Test func tradeIDsAreInstrumentDayAndSequence() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000)
        market.order("s2", .sell, 100, at: 5_000)
        let ids = market.order("b1", .buy, 200, at: 5_000).trades.map(\.tradeID.description)
        #expect(ids == ["CEA-2026-07-16-000001", "CEA-2026-07-16-000002"])
    }

    @Test func ladderGrowsForFarPricesWhenTheBandIsOff() {
        var book = ListedBook()
        var fills: [Fill] = []
        let prices: [Int64] = [5_000, 100, 900_000, 4_000, 250_000]
        for (index, price) in prices.enumerated() {
            _ = book.submit(order: OrderRef(Int32(index)), account: AccountRef(Int32(index)), side: .buy,
                            price: Fen(price), quantity: 10, fills: &fills)
            #expect(book.invariantViolations() == [])
        }
        #expect(book.bestBid == 900_000)
        _ = book.submit(order: OrderRef(99), account: AccountRef(99), side: .sell, price: 1, quantity: 50, fills: &fills)
        #expect(fills.map(\.price.rawValue) == [900_000, 250_000, 5_000, 4_000, 100])
        #expect(book.restingOrderCount == 0)
    }

    @Test func orderRestingBeyondTheLadderSpanIsRefusedBeforeAnyFill() {
        var book = ListedBook(maximumSpan: 1_024)
        var fills: [Fill] = []
        _ = book.submit(order: OrderRef(0), account: AccountRef(0), side: .sell, price: 1_000, quantity: 10, fills: &fills)
        let outcome = book.submit(order: OrderRef(1), account: AccountRef(1), side: .sell, price: 900_000,
                                  quantity: 10, fills: &fills)
        #expect(outcome == .priceRangeTooWide)
        let crossing = book.submit(order: OrderRef(2), account: AccountRef(2), side: .buy, price: 900_000,
                                   quantity: 10, fills: &fills)
        #expect(crossing == .filled)
        #expect(fills.map(\.quantity) == [10])
    }
}
