import Testing
@testable import MatchingDomain

/// Block agreement: a quote to a named counterparty, traded when it answers with the mirror order.
@Suite struct BlockTests {
    @Test func mirrorOrderFromTheNamedCounterpartyTrades() {
        var market = Market()
        market.order("q1", .sell, 200_000, at: 4_000, account: "S", method: .block, counterparty: "B")
        let outputs = market.order("q2", .buy, 200_000, at: 4_000, account: "B", method: .block, counterparty: "S")
        #expect(outputs.fills == [Execution("q2", "q1", 4_000, 200_000)])
        #expect(outputs.trades.first?.method == .block)
    }

    @Test func quoteDoesNotTradeWithADifferentPriceOrQuantity() {
        var market = Market()
        market.order("q1", .sell, 200_000, at: 4_000, account: "S", method: .block, counterparty: "B")
        #expect(market.order("q2", .buy, 200_000, at: 4_001, account: "B", method: .block, counterparty: "S").trades.isEmpty)
        #expect(market.order("q3", .buy, 150_000, at: 4_000, account: "B", method: .block, counterparty: "S").trades.isEmpty)
    }

    @Test func quoteDoesNotTradeWithAThirdParty() {
        var market = Market()
        market.order("q1", .sell, 200_000, at: 4_000, account: "S", method: .block, counterparty: "B")
        #expect(market.order("q2", .buy, 200_000, at: 4_000, account: "C", method: .block, counterparty: "S").trades.isEmpty)
    }

    @Test func blockOrderWithoutCounterpartyIsRejected() {
        var market = Market()
        let outputs = market.submit("q1", .sell, 200_000, at: 4_000, method: .block)
        #expect(outputs.rejections.map(\.code) == [.missingCounterparty])
    }

    @Test func blockTradesDoNotSetTheClosingPrice() throws {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_100)
        market.order("b1", .buy, 100, at: 5_100)
        market.order("q1", .sell, 500_000, at: 3_600, account: "S", method: .block, counterparty: "B")
        market.order("q2", .buy, 500_000, at: 3_600, account: "B", method: .block, counterparty: "S")
        let summary = try #require(market.close().summary)
        #expect(summary.closePrice == 5_100)
        #expect(summary.low == 5_100)
        #expect(summary.blockVolume == 500_000)
        #expect(summary.volume == 500_100)
        #expect(summary.turnover == Fen(100 * 5_100 + 500_000 * 3_600))
    }

    @Test func dayWithOnlyBlockTradesClosesAtThePreviousClose() {
        var market = Market(reference: 5_000)
        market.order("q1", .sell, 500_000, at: 6_000, account: "S", method: .block, counterparty: "B")
        market.order("q2", .buy, 500_000, at: 6_000, account: "B", method: .block, counterparty: "S")
        #expect(market.close().summary?.closePrice == 5_000)
    }

    @Test func blockTradesDoNotMoveTheListedLastPrice() {
        var market = Market()
        market.order("q1", .sell, 500_000, at: 6_000, account: "S", method: .block, counterparty: "B")
        market.order("q2", .buy, 500_000, at: 6_000, account: "B", method: .block, counterparty: "S")
        #expect(market.depth?.lastPrice == nil)
    }

    @Test func unansweredQuoteExpiresAtClose() {
        var market = Market()
        market.order("q1", .sell, 200_000, at: 4_000, account: "S", method: .block, counterparty: "B")
        #expect(market.close().expiries.map(\.remainingQuantity) == [200_000])
    }

    @Test func cancelledQuoteCannotBeAnswered() {
        var market = Market()
        market.order("q1", .sell, 200_000, at: 4_000, account: "S", method: .block, counterparty: "B")
        #expect(market.cancel("q1", account: "S").cancellations.count == 1)
        #expect(market.order("q2", .buy, 200_000, at: 4_000, account: "B", method: .block, counterparty: "S").trades.isEmpty)
    }
}
