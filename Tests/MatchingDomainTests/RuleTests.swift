import Testing
@testable import MatchingDomain

/// Matching's own rules, checked at submit: bands, sizes, tick, session and phase.
@Suite struct RuleTests {
    // Reference 5,000 fen: listed band 4,500...5,500, block band 3,500...6,500.

    @Test func listedPriceAtTheBandEdgesIsAccepted() {
        var market = Market()
        #expect(market.order("low", .buy, 100, at: 4_500).accepted.count == 1)
        #expect(market.order("high", .sell, 100, at: 5_500).accepted.count == 1)
    }

    @Test func listedPriceOneTickBeyondTheBandIsRejected() {
        var market = Market()
        let below = market.submit("low", .buy, 100, at: 4_499)
        let above = market.submit("high", .sell, 100, at: 5_501)
        #expect(below.rejections.map(\.code) == [.priceOutsideBand])
        #expect(above.rejections.map(\.code) == [.priceOutsideBand])
        #expect(below.rejections.first?.hold == .notPlaced)
    }

    @Test func bandHalfWidthRoundsDownToAWholeFen() {
        let band = PriceBand(reference: 1_884, basisPoints: 1_000)
        #expect(band.lower == 1_696)
        #expect(band.upper == 2_072)
    }

    @Test func bandCheckCanBeDisabled() {
        var rules = MatchingRules.standard
        rules.listedBandBasisPoints = nil
        var market = Market(rules: rules)
        #expect(market.order("far", .buy, 100, at: 9_000).accepted.count == 1)
    }

    @Test func listedOrderOf99999TonnesIsAccepted() {
        var market = Market()
        #expect(market.order("big", .buy, 99_999, at: 5_000).accepted.count == 1)
    }

    @Test func listedOrderOf100000TonnesIsRejected() {
        var market = Market()
        #expect(market.submit("big", .buy, 100_000, at: 5_000).rejections.map(\.code) == [.listedQuantityTooLarge])
    }

    @Test func blockOrderOf99999TonnesIsRejected() {
        var market = Market()
        let outputs = market.submit("blk", .buy, 99_999, at: 5_000, method: .block, counterparty: "seller")
        #expect(outputs.rejections.map(\.code) == [.blockQuantityTooSmall])
    }

    @Test func blockOrderOf100000TonnesIsAccepted() {
        var market = Market()
        let outputs = market.order("blk", .buy, 100_000, at: 5_000, method: .block, counterparty: "seller")
        #expect(outputs.accepted.count == 1)
    }

    @Test func blockBandIsThirtyPercent() {
        var market = Market()
        #expect(market.order("in", .buy, 100_000, at: 3_500, method: .block, counterparty: "s").accepted.count == 1)
        let outside = market.submit("out", .buy, 100_000, at: 3_499, method: .block, counterparty: "s")
        #expect(outside.rejections.map(\.code) == [.priceOutsideBand])
    }

    @Test func zeroQuantityAndZeroPriceAreRejected() {
        var market = Market()
        #expect(market.submit("q0", .buy, 0, at: 5_000).rejections.map(\.code) == [.invalidQuantity])
        #expect(market.submit("p0", .buy, 10, at: 0).rejections.map(\.code) == [.invalidPrice])
    }

    @Test func priceOffTheTickIsRejected() {
        var rules = MatchingRules.standard
        rules.tick = 5
        var market = Market(rules: rules)
        #expect(market.submit("odd", .buy, 10, at: 5_001).rejections.map(\.code) == [.priceNotOnTick])
        #expect(market.order("even", .buy, 10, at: 5_005).accepted.count == 1)
    }

    @Test func orderWithoutAnOpenSessionIsRejected() {
        var market = Market()
        _ = market.close()
        let outputs = market.submit("late", .buy, 100, at: 5_000)
        #expect(outputs.rejections.map(\.code) == [.sessionClosed])
    }

    @Test func orderForAnInstrumentNeverOpenedIsRejected() {
        var engine = MatchingEngine()
        var outputs: [MatchingOutput] = []
        engine.submit(OrderRequest(orderID: "o", account: "a", instrument: "CCER", side: .buy, quantity: 1, price: 1),
                      into: &outputs)
        #expect(outputs.rejections.map(\.code) == [.sessionClosed])
    }

    @Test func blockOrderInTheMorningPhaseIsRejected() {
        var market = Market(methods: .morning)
        let outputs = market.submit("blk", .buy, 100_000, at: 5_000, method: .block, counterparty: "s")
        #expect(outputs.rejections.map(\.code) == [.methodNotEnabled])
        #expect(market.order("lst", .buy, 100, at: 5_000).accepted.count == 1)
    }

    @Test func blockOrderIsAcceptedOnceTheAfternoonPhaseBegins() {
        var market = Market(methods: .morning)
        market.setMethods(.afternoon)
        let outputs = market.order("blk", .buy, 100_000, at: 5_000, method: .block, counterparty: "s")
        #expect(outputs.accepted.count == 1)
    }

    @Test func lunchBreakRejectsNewOrdersButKeepsRestingOnes() {
        var market = Market()
        market.order("b1", .buy, 100, at: 5_000)
        market.setMethods(.paused)
        #expect(market.submit("s1", .sell, 100, at: 5_000).rejections.map(\.code) == [.methodNotEnabled])
        market.setMethods(.afternoon)
        #expect(market.order("s2", .sell, 100, at: 5_000).fills == [Execution("b1", "s2", 5_000, 100)])
    }

    @Test func openingASessionTwiceIsRefused() {
        var market = Market()
        #expect(market.open(day: "2026-07-16").commandRejections.map(\.code) == [.sessionAlreadyOpen])
    }

    @Test func firstSessionNeedsAReferencePrice() {
        var engine = MatchingEngine()
        var outputs: [MatchingOutput] = []
        engine.openSession(instrument: "CEA", tradingDay: "2026-07-16", into: &outputs)
        #expect(outputs.commandRejections.map(\.code) == [.noReferencePrice])
    }
}
