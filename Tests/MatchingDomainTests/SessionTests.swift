import Testing
@testable import MatchingDomain

/// Session close: expiry, the day's summary, the closing price and the next reference.
@Suite struct SessionTests {
    @Test func closeExpiresEveryRestingOrderWithItsRemainder() {
        var market = Market()
        market.order("b1", .buy, 100, at: 4_990)
        market.order("s1", .sell, 300, at: 5_010)
        market.order("b2", .buy, 100, at: 5_010)
        let outputs = market.close()
        #expect(outputs.expiries.map(\.orderID) == ["b1", "s1"])
        #expect(outputs.expiries.map(\.remainingQuantity) == [100, 200])
        #expect(market.depth?.bids == [] && market.depth?.asks == [])
    }

    @Test func closeEndsWithTheSessionSummary() {
        var market = Market()
        market.order("b1", .buy, 100, at: 4_990)
        guard case .sessionClosed = market.close().last else {
            Issue.record("the summary must be the last output")
            return
        }
    }

    @Test func closingPriceIsTheListedVWAPRoundedHalfUp() {
        var market = Market()
        market.order("s1", .sell, 1, at: 5_000)
        market.order("b1", .buy, 1, at: 5_000)
        market.order("s2", .sell, 1, at: 5_001)
        market.order("b2", .buy, 1, at: 5_001)
        // (5,000 + 5,001) / 2 = 5,000.5 -> 5,001
        let summary = market.close().summary
        #expect(summary?.closePrice == 5_001)
    }

    @Test func closingPriceRoundsDownBelowHalf() {
        var market = Market()
        market.order("s1", .sell, 2, at: 5_000)
        market.order("b1", .buy, 2, at: 5_000)
        market.order("s2", .sell, 1, at: 5_001)
        market.order("b2", .buy, 1, at: 5_001)
        // (10,000 + 5,001) / 3 = 5,000.33 -> 5,000
        #expect(market.close().summary?.closePrice == 5_000)
    }

    @Test func summaryHasOpenHighLowVolumeAndTurnover() throws {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_020)
        market.order("b1", .buy, 100, at: 5_020)
        market.order("s2", .sell, 300, at: 4_980)
        market.order("b2", .buy, 300, at: 4_990)
        let summary = try #require(market.close().summary)
        #expect(summary.openPrice == 5_020)
        #expect(summary.high == 5_020)
        #expect(summary.low == 4_980)
        #expect(summary.volume == 400)
        #expect(summary.turnover == Fen(100 * 5_020 + 300 * 4_980))
        #expect(summary.closePrice == 4_990)  // 1,996,000 / 400 = 4,990
        #expect(summary.tradeCount == 2)
    }

    @Test func dayWithoutTradesClosesAtThePreviousClose() throws {
        var market = Market(reference: 4_321)
        let summary = try #require(market.close().summary)
        #expect(summary.openPrice == 4_321)
        #expect(summary.closePrice == 4_321)
        #expect(summary.high == 4_321 && summary.low == 4_321)
        #expect(summary.volume == 0)
    }

    @Test func aDayWithoutListedTradesClosesAtTheReferenceCloseSessionNames() throws {
        var market = Market(reference: 5_000)
        // A block trade does not set the closing price (RULES.md), so the day has none.
        market.order("s1", .sell, 100_000, at: 5_200, account: "seller", method: .block, counterparty: "buyer")
        market.order("b1", .buy, 100_000, at: 5_200, account: "buyer", method: .block, counterparty: "seller")
        let summary = try #require(market.close(referencePrice: 5_300).summary)
        #expect(summary.blockVolume == 100_000)
        #expect(summary.closePrice == 5_300)
        #expect(summary.referencePrice == 5_000 && summary.openPrice == 5_000)
        #expect(summary.high == 5_300 && summary.low == 5_000, "open, close, high and low still make a price bar")
        #expect(market.open(day: "2026-07-17").first == .sessionOpened(
            SessionOpened(instrument: "CEA", tradingDay: "2026-07-17", referencePrice: 5_300)))
    }

    @Test func listedTradesSetTheCloseWhateverCloseSessionNames() throws {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_100)
        market.order("b1", .buy, 100, at: 5_100)
        #expect(try #require(market.close(referencePrice: 4_000).summary).closePrice == 5_100)
    }

    @Test func closeBecomesTheNextSessionsReference() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_400)
        market.order("b1", .buy, 100, at: 5_400)
        _ = market.close()
        let opened = market.open(day: "2026-07-17")
        #expect(opened == [.sessionOpened(SessionOpened(instrument: "CEA", tradingDay: "2026-07-17", referencePrice: 5_400))])
        // New band: 4,860...5,940.
        #expect(market.order("b2", .buy, 100, at: 5_940).accepted.count == 1)
        #expect(market.submit("b3", .buy, 100, at: 4_859).rejections.map(\.code) == [.priceOutsideBand])
    }

    @Test func givenReferencePriceOverridesThePreviousClose() {
        var market = Market()
        _ = market.close()
        let opened = market.open(day: "2026-07-17", reference: 6_000)
        #expect(opened.first == .sessionOpened(SessionOpened(instrument: "CEA", tradingDay: "2026-07-17", referencePrice: 6_000)))
    }

    @Test func closeForAnotherDayIsRefused() {
        var market = Market()
        #expect(market.close(day: "2026-07-17").commandRejections.map(\.code) == [.tradingDayMismatch])
    }

    @Test func orderIDsFromAPreviousDayCanBeReused() {
        var market = Market()
        market.order("b1", .buy, 100, at: 4_990)
        _ = market.close()
        _ = market.open(day: "2026-07-17")
        #expect(market.order("b1", .buy, 100, at: 4_990).accepted.count == 1)
    }

    @Test func tradeSequenceRestartsEachDay() {
        var market = Market()
        market.order("s1", .sell, 1, at: 5_000)
        market.order("b1", .buy, 1, at: 5_000)
        _ = market.close()
        _ = market.open(day: "2026-07-17")
        market.order("s2", .sell, 1, at: 5_000)
        let ids = market.order("b2", .buy, 1, at: 5_000).trades.map(\.tradeID.description)
        #expect(ids == ["CEA-2026-07-17-000001"])
    }
}
