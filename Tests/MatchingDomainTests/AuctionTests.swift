import Testing
@testable import MatchingDomain

/// One-way bidding: one seller, bids in a window, allocation by price then time at its close.
@Suite struct AuctionTests {
    /// An auction of `quantity` t by account `GOV` with a floor, already admitted.
    func marketWithAuction(quantity: Int64 = 1_000, floor: Int64 = 4_000) -> Market {
        var market = Market()
        market.order("sale", .sell, quantity, at: floor, account: "GOV", method: .auction)
        return market
    }

    @Test func highestBidsWinEachPayingItsOwnPrice() {
        var market = marketWithAuction()
        market.order("low", .buy, 500, at: 4_100, method: .auction)
        market.order("high", .buy, 500, at: 4_300, method: .auction)
        market.order("mid", .buy, 500, at: 4_200, method: .auction)
        let outputs = market.closeAuction()
        #expect(outputs.fills == [Execution("high", "sale", 4_300, 500), Execution("mid", "sale", 4_200, 500)])
        #expect(outputs.trades.allSatisfy { $0.method == .auction })
        #expect(outputs.expiries.map(\.orderID) == ["low"])
        #expect(outputs.expiries.map(\.remainingQuantity) == [500])
    }

    @Test func earlierBidWinsAtTheSamePrice() {
        var market = marketWithAuction(quantity: 600)
        market.order("first", .buy, 400, at: 4_200, method: .auction)
        market.order("second", .buy, 400, at: 4_200, method: .auction)
        let outputs = market.closeAuction()
        #expect(outputs.fills == [Execution("first", "sale", 4_200, 400), Execution("second", "sale", 4_200, 200)])
    }

    @Test func lastWinnerIsPartiallyFilledAndItsRestExpires() {
        var market = marketWithAuction(quantity: 700)
        market.order("a", .buy, 500, at: 4_500, method: .auction)
        market.order("b", .buy, 500, at: 4_400, method: .auction)
        let outputs = market.closeAuction()
        #expect(outputs.fills.map(\.quantity) == [500, 200])
        #expect(outputs.expiries == [OrderClosed(orderID: "b", account: "acct-b", instrument: "CEA", remainingQuantity: 300)])
    }

    @Test func unsoldQuantityOfTheSellerExpires() {
        var market = marketWithAuction(quantity: 1_000)
        market.order("a", .buy, 300, at: 4_500, method: .auction)
        let outputs = market.closeAuction()
        #expect(outputs.expiries.map(\.orderID) == ["sale"])
        #expect(outputs.expiries.map(\.remainingQuantity) == [700])
    }

    @Test func bidBelowTheFloorIsRejected() {
        var market = marketWithAuction(floor: 4_000)
        #expect(market.submit("cheap", .buy, 100, at: 3_999, method: .auction).rejections.map(\.code) == [.belowFloorPrice])
    }

    @Test func bidWithoutAnAuctionIsRejected() {
        var market = Market()
        #expect(market.submit("bid", .buy, 100, at: 4_000, method: .auction).rejections.map(\.code) == [.noAuctionOpen])
    }

    @Test func secondAuctionWhileOneRunsIsRejected() {
        var market = marketWithAuction()
        let outputs = market.submit("sale2", .sell, 100, at: 4_000, account: "GOV2", method: .auction)
        #expect(outputs.rejections.map(\.code) == [.auctionAlreadyOpen])
    }

    @Test func sellerCannotBidInItsOwnAuction() {
        var market = marketWithAuction()
        let outputs = market.submit("own", .buy, 100, at: 4_500, account: "GOV", method: .auction)
        #expect(outputs.rejections.map(\.code) == [.selfTrade])
    }

    @Test func auctionTradesCountInVolumeButNotInTheClose() throws {
        var market = marketWithAuction()
        market.order("a", .buy, 1_000, at: 4_600, method: .auction)
        _ = market.closeAuction()
        let summary = try #require(market.close().summary)
        #expect(summary.auctionVolume == 1_000)
        #expect(summary.volume == 1_000)
        #expect(summary.closePrice == 5_000)
    }

    @Test func cancellingTheSaleEndsTheAuction() {
        var market = marketWithAuction()
        market.order("a", .buy, 100, at: 4_600, method: .auction)
        let outputs = market.cancel("sale", account: "GOV")
        #expect(outputs.cancellations.map(\.orderID) == ["sale"])
        #expect(outputs.expiries.map(\.orderID) == ["a"])
        #expect(market.closeAuction().commandRejections.map(\.code) == [.noAuctionOpen])
    }

    @Test func sessionCloseAbandonsAnOpenAuction() {
        var market = marketWithAuction()
        market.order("a", .buy, 100, at: 4_600, method: .auction)
        let outputs = market.close()
        #expect(outputs.trades.isEmpty)
        #expect(Set(outputs.expiries.map(\.orderID)) == ["a", "sale"])
    }
}
