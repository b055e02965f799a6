import Testing
@testable import MatchingDomain

/// Admission through holds: the matching side of the order saga.
@Suite struct HoldTests {
    @Test func submittedOrderWaitsForItsHold() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000)
        #expect(market.submit("b1", .buy, 100, at: 5_000).isEmpty)
        #expect(market.depth?.asks.count == 1)
    }

    @Test func placedHoldAdmitsTheOrder() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000)
        _ = market.submit("b1", .buy, 100, at: 5_000)
        let outputs = market.hold("b1")
        #expect(outputs.accepted.map(\.orderID) == ["b1"])
        #expect(outputs.fills == [Execution("b1", "s1", 5_000, 100)])
    }

    @Test func refusedHoldRejectsWithTheHoldsReason() {
        var market = Market()
        _ = market.submit("b1", .buy, 100, at: 5_000)
        let outputs = market.refuseHold("b1", code: "insufficient-funds", reason: "Not enough funds.")
        #expect(outputs.rejections == [OrderRejected(orderID: "b1", account: "acct-b1", instrument: "CEA",
                                                     code: "insufficient-funds", reason: "Not enough funds.",
                                                     hold: .refused)])
    }

    @Test func cancelBeforeTheHoldIsHonouredWhenTheHoldArrives() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000)
        _ = market.submit("b1", .buy, 100, at: 5_000)
        #expect(market.cancel("b1").isEmpty)
        let outputs = market.hold("b1")
        #expect(outputs == [.cancelled(OrderClosed(orderID: "b1", account: "acct-b1", instrument: "CEA", remainingQuantity: 100))])
        #expect(market.depth?.asks.count == 1)
    }

    @Test func cancelBeforeARefusedHoldEndsAsRejected() {
        var market = Market()
        _ = market.submit("b1", .buy, 100, at: 5_000)
        _ = market.cancel("b1")
        #expect(market.refuseHold("b1").rejections.map(\.hold) == [.refused])
    }

    @Test func secondCancelBeforeTheHoldIsRefused() {
        var market = Market()
        _ = market.submit("b1", .buy, 100, at: 5_000)
        _ = market.cancel("b1")
        #expect(market.cancel("b1").commandRejections.map(\.code) == [.orderNotOpen])
    }

    @Test func holdArrivingAfterTheCloseExpiresTheOrder() {
        var market = Market()
        _ = market.submit("b1", .buy, 100, at: 5_000)
        #expect(market.close().expiries.isEmpty)
        #expect(market.hold("b1").expiries.map(\.remainingQuantity) == [100])
    }

    @Test func holdForAnOrderRejectedAtSubmitIsIgnored() {
        var market = Market()
        #expect(market.submit("b1", .buy, 100, at: 9_000).rejections.first?.hold == .notPlaced)
        #expect(market.hold("b1").isEmpty)
    }

    @Test func holdArrivingBeforeItsOrderAdmitsTheOrderAtSubmit() {
        var market = Market()
        market.order("s1", .sell, 100, at: 5_000)
        #expect(market.hold("b1").isEmpty)
        let outputs = market.submit("b1", .buy, 100, at: 5_000)
        #expect(outputs.fills == [Execution("b1", "s1", 5_000, 100)])
    }

    @Test func ruleRejectionAfterAnEarlyHoldSaysTheHoldIsPlaced() {
        var market = Market()
        _ = market.hold("b1")
        #expect(market.submit("b1", .buy, 100, at: 9_000).rejections.map(\.hold) == [.placed])
    }

    @Test func refusedHoldArrivingBeforeItsOrderRejectsItAtSubmit() {
        var market = Market()
        _ = market.refuseHold("b1", code: "insufficient-funds", reason: "Not enough funds.")
        let outputs = market.submit("b1", .buy, 100, at: 5_000)
        #expect(outputs.rejections.map(\.code) == ["insufficient-funds"])
    }

    @Test func duplicateHoldIsIgnored() {
        var market = Market()
        market.order("b1", .buy, 100, at: 5_000)
        #expect(market.hold("b1").isEmpty)
    }

    @Test func rulesAreJudgedAtSubmitNotAtAdmission() {
        var market = Market()
        _ = market.submit("b1", .buy, 100, at: 5_000)
        market.setMethods(.paused)
        #expect(market.hold("b1").accepted.count == 1)
    }

    @Test func holdArrivingAfterTheNextSessionOpensStillExpiresTheOrder() {
        var market = Market()
        _ = market.submit("b1", .buy, 100, at: 5_000)
        _ = market.close()
        _ = market.open(day: "2026-07-17")
        #expect(market.hold("b1").expiries.map(\.orderID) == ["b1"])
        #expect(market.depth?.bids == [])
    }

    @Test func earlyHoldIsForgottenWhenTheLastSessionCloses() {
        var market = Market()
        _ = market.hold("b1")
        _ = market.close()
        _ = market.open(day: "2026-07-17")
        #expect(market.submit("b1", .buy, 100, at: 5_000).isEmpty)
    }
}
