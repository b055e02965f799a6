import Testing
@testable import MatchingDomain

/// No account trades with itself; the check happens before any fill.
@Suite struct SelfTradeTests {
    @Test func orderThatWouldMatchItsOwnAccountIsRejected() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000, account: "A")
        let outputs = market.order("b1", .buy, 100, at: 5_000, account: "A")
        #expect(outputs.rejections.map(\.code) == [.selfTrade])
        #expect(outputs.trades.isEmpty)
    }

    @Test func selfTradeRejectionHasNoPartialEffects() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000, account: "B")
        market.order("s2", .sell, 100, at: 5_001, account: "A")
        let before = market.depth
        let outputs = market.order("b1", .buy, 200, at: 5_001, account: "A")
        #expect(outputs.rejections.map(\.code) == [.selfTrade])
        #expect(outputs.trades.isEmpty)
        #expect(market.depth == before)
    }

    @Test func sameAccountOrderBeyondTheFillIsNotAConflict() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000, account: "B")
        market.order("s2", .sell, 100, at: 5_001, account: "A")
        let outputs = market.order("b1", .buy, 100, at: 5_001, account: "A")
        #expect(outputs.fills == [Execution("b1", "s1", 5_000, 100)])
    }

    @Test func sameAccountMayRestOnBothSidesWithoutCrossing() {
        var market = Market()
        market.order("b1", .buy, 100, at: 4_990, account: "A")
        #expect(market.order("s1", .sell, 100, at: 5_010, account: "A").accepted.count == 1)
    }

    @Test func selfTradeFoundAtAdmissionReleasesThePlacedHold() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000, account: "A")
        let outputs = market.order("b1", .buy, 100, at: 5_000, account: "A")
        #expect(outputs.rejections.first?.hold == .placed)
    }

    @Test func blockOrderAddressedToItsOwnAccountIsRejected() {
        var market = Market()
        let outputs = market.submit("blk", .buy, 100_000, at: 5_000, account: "A", method: .block, counterparty: "A")
        #expect(outputs.rejections.map(\.code) == [.counterpartyIsSelf])
    }
}
