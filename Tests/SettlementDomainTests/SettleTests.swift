import Testing
import SettlementDomain

/// The funds leg of a trade: value buyer -> seller, fees to the exchange, price improvement back.
@Suite struct SettleTests {
    /// The default market with buy order B-1: 100 t at limit 5,000 (500,300 reserved).
    private func booked() throws -> FundsLedger {
        var ledger = try market()
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 100, limitPrice: 5_000)
        return ledger
    }

    @Test func aFillAtTheLimitMovesValueAndFees() throws {
        var ledger = try booked()
        let result = try ledger.settle(trade("T1", quantity: 40, price: 5_000))
        // value 200,000; each fee 100; the fill used 40 x 3 = 120 of fee hold, 20 goes back.
        #expect(result.value == 200_000 && result.buyerFee == 100 && result.sellerFee == 100 && result.released == 20)
        #expect(result.entries.map(\.kind) == [.settleBuyer, .settleSeller, .fee, .fee, .release])
        #expect(result.entries.map(\.sequence) == [4, 5, 6, 7, 8])
        #expect(result.entries.allSatisfy { $0.reference == "T1" && $0.tradingDay == day1 })
        let buyer = ledger.balances(of: "BUYER")
        #expect(buyer.reserved == Fen(60 * 5_003))
        #expect(buyer.available == Fen(1_000_000 - 500_300 + 20))
        #expect(buyer.funds == Fen(1_000_000 - 200_000 - 100))
        #expect(ledger.balances(of: "SELLER").available == Fen(1_000 + 200_000 - 100))
        #expect(ledger.feeAccountBalance == 200)
        #expect(ledger.balance(of: .clearing(.standard)) == 0)
        #expect(ledger.hasSettled(tradeId: "T1"))
        #expect(ledger.reservation(for: "B-1")?.filled == 40)
        expectSound(ledger)
    }

    @Test func entriesHaveTheirRoles() throws {
        var ledger = try booked()
        let entries = try ledger.settle(trade("T1", quantity: 40, price: 4_990)).entries
        let reserved = FundsAccount.reserved("BUYER", "B-1")
        #expect(entries[0].debit == .clearing(.standard) && entries[0].credit == reserved && entries[0].amount == 199_600)
        #expect(entries[1].debit == .available("SELLER") && entries[1].credit == .clearing(.standard))
        #expect(entries[0].fill == TradeFill(quantity: 40, price: 4_990) && entries[1].fill == entries[0].fill)
        #expect(entries[2].debit == .fees(.standard) && entries[2].credit == reserved && entries[2].amount == 100)
        #expect(entries[3].debit == .fees(.standard) && entries[3].credit == .available("SELLER"))
        #expect(entries[4].debit == .available("BUYER") && entries[4].credit == reserved)
        #expect(entries.map(\.participant) == ["BUYER", "SELLER", "BUYER", "SELLER", "BUYER"])
    }

    @Test func priceImprovementIsReleasedForTheFilledPart() throws {
        var ledger = try booked()
        // 40 t at 4,990: value 199,600, fee 99.8 -> 100. Reservation 500,300 - 199,600 - 100
        // = 300,600; the remaining 60 t need 300,180; 420 = 40 x 10 improvement + 40 x 3 - 100.
        let result = try ledger.settle(trade("T1", quantity: 40, price: 4_990))
        #expect(result.released == 420)
        #expect(ledger.reservation(for: "B-1")?.amount == 300_180)
        #expect(ledger.reservation(for: "B-1")?.required == 300_180)
        expectSound(ledger)
    }

    @Test func theLastFillReleasesEverythingLeft() throws {
        var ledger = try booked()
        try ledger.settle(trade("T1", quantity: 40, price: 4_990))
        let last = try ledger.settle(trade("T2", quantity: 60, price: 4_800))
        // value 288,000, fee 144; 300,180 - 288,000 - 144 = 12,036 back.
        #expect(last.released == 12_036)
        #expect(ledger.reservation(for: "B-1")?.amount == 0)
        #expect(ledger.reservation(for: "B-1")?.isOpen == false)
        #expect(ledger.balances(of: "BUYER").reserved == 0)
        #expect(ledger.balances(of: "BUYER").available == Fen(1_000_000 - 199_600 - 100 - 288_000 - 144))
        #expect(try ledger.release(orderId: "B-1") == nil)
        expectSound(ledger)
    }

    @Test func manyOneTonneFillsNeverExhaustTheReservation() throws {
        var ledger = try market()
        // At 1,000 fen a tonne's fee is 0.5 fen: each 1 t fill pays 1 fen, twice the rate;
        // the per-tonne maximum fee (rounded up) was held for exactly that.
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 500, limitPrice: 1_000)
        for index in 0..<500 {
            let result = try ledger.settle(trade(TradeID("T\(index)"), quantity: 1, price: 1_000))
            #expect(result.buyerFee == 1 && result.released == 0)
            expectSound(ledger)
        }
        #expect(ledger.reservation(for: "B-1")?.amount == 0)
        #expect(ledger.feeAccountBalance == 1_000)
    }

    @Test func aSecondSettleOfTheSameTradeIsRefusedAndChangesNothing() throws {
        var ledger = try booked()
        try ledger.settle(trade("T1", quantity: 40, price: 5_000))
        #expect(refusal(&ledger) { try $0.settle(trade("T1", quantity: 40, price: 5_000)) } == "duplicate-trade")
        // Even with different terms: the trade id decides.
        #expect(refusal(&ledger) { try $0.settle(trade("T1", quantity: 1, price: 1)) } == "duplicate-trade")
    }

    @Test func settleRefusals() throws {
        var ledger = try booked()
        #expect(refusal(&ledger) { try $0.settle(trade("T1", buy: "B-9", quantity: 1, price: 5_000)) } == "unknown-reservation")
        #expect(refusal(&ledger) { try $0.settle(trade("T1", buyer: "OTHER", quantity: 1, price: 5_000)) }
            == "reservation-mismatch")
        #expect(refusal(&ledger) { try $0.settle(trade("T1", quantity: 1, price: 5_000, limitPrice: 5_100)) }
            == "reservation-mismatch")
        #expect(refusal(&ledger) { try $0.settle(trade("T1", quantity: 101, price: 5_000)) } == "exceeds-reservation")
        #expect(refusal(&ledger) { try $0.settle(trade("T1", quantity: 1, price: 5_001)) } == "price-above-limit")
        #expect(refusal(&ledger) { try $0.settle(trade("T1", quantity: 0, price: 5_000)) } == "invalid-quantity")
        #expect(refusal(&ledger) { try $0.settle(trade("T1", quantity: 1, price: 0)) } == "invalid-price")
        #expect(refusal(&ledger) { try $0.settle(trade("", quantity: 1, price: 5_000)) } == "invalid-reference")
        #expect(refusal(&ledger) { try $0.settle(trade("T1", seller: "EXCHANGE-FEES", quantity: 1, price: 5_000)) }
            == "invalid-account")
        try ledger.settle(trade("T1", quantity: 1, price: 5_000, limitPrice: 5_000))
        try ledger.release(orderId: "B-1")
        #expect(refusal(&ledger) { try $0.settle(trade("T2", quantity: 1, price: 5_000)) } == "reservation-closed")
    }

    @Test func theSellerNeedNotHaveDeposited() throws {
        var ledger = try booked()
        #expect(!ledger.isKnown("NEWCOMER"))
        try ledger.settle(trade("T1", seller: "NEWCOMER", quantity: 10, price: 5_000))
        #expect(ledger.isKnown("NEWCOMER"))
        #expect(ledger.balances(of: "NEWCOMER").available == Fen(50_000 - 25))
    }

    @Test func aZeroFeeRateWritesNoFeeEntries() throws {
        var ledger = try market(rules: SettlementRules(feeRate: FeeRate(partsPerMillion: 0)))
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 10, limitPrice: 5_000)
        let result = try ledger.settle(trade("T1", quantity: 10, price: 5_000))
        #expect(result.entries.map(\.kind) == [.settleBuyer, .settleSeller])
        expectSound(ledger)
    }

    @Test func theBuyersRateIsTheOneItsOrderWasReservedAt() throws {
        var ledger = try market()
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 10, limitPrice: 5_000, feeRate: .basisPoints(10))
        let result = try ledger.settle(trade("T1", quantity: 10, price: 5_000))
        #expect(result.buyerFee == 50 && result.sellerFee == 25)
        expectSound(ledger)
    }

    @Test func tradingWithOneselfKeepsTheBooksBalanced() throws {
        var ledger = try booked()
        let result = try ledger.settle(trade("T1", seller: "BUYER", quantity: 10, price: 5_000))
        #expect(ledger.balances(of: "BUYER").funds == 1_000_000 - result.buyerFee - result.sellerFee)
        expectSound(ledger)
    }

    @Test func fundsSettlementGivesTheFundsLeg() throws {
        var ledger = try booked()
        let leg = try ledger.settle(trade("T1", quantity: 40, price: 5_000)).fundsLeg
        #expect(leg == FundsLeg(tradeId: "T1", buyerAccountId: "BUYER", sellerAccountId: "SELLER", value: 200_000,
                                buyerFee: 100, sellerFee: 100))
    }
}
