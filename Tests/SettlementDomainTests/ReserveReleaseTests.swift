import Testing
import SettlementDomain

/// Pre-trade holds on a buy order's funds, and their release.
@Suite struct ReserveReleaseTests {
    @Test func reserveHoldsQuantityTimesLimitPlusMaximumFee() throws {
        var ledger = try market()
        let entry = try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 100, limitPrice: 5_000)
        // 100 t x (5,000 + ceil(2.5)) = 500,300
        let terms = ReservationTerms(quantity: 100, limitPrice: 5_000, feeRate: .basisPoints(5))
        #expect(entry == FundsEntry(sequence: 3, kind: .reserve, debit: .reserved("BUYER", "B-1"),
                                    credit: .available("BUYER"), amount: 500_300, reference: "B-1",
                                    tradingDay: day1, terms: terms))
        #expect(ledger.balances(of: "BUYER").available == 499_700)
        #expect(ledger.balances(of: "BUYER").reserved == 500_300)
        #expect(ledger.balances(of: "BUYER").funds == 1_000_000)
        #expect(ledger.reservation(for: "B-1") == Reservation(orderId: "B-1", accountId: "BUYER", terms: terms,
                                                              filled: 0, amount: 500_300))
        #expect(ledger.openReservations.map(\.orderId) == ["B-1"])
        expectSound(ledger)
    }

    @Test func anExplicitFeeRateSizesTheReservation() throws {
        var ledger = try market()
        let entry = try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 10, limitPrice: 5_000,
                                       feeRate: .basisPoints(100))
        #expect(entry.amount == Fen(10 * 5_050))
        #expect(refusal(&ledger) {
            try $0.reserve(orderId: "B-2", account: "BUYER", quantity: 1, limitPrice: 1, feeRate: FeeRate(partsPerMillion: -5))
        } == "invalid-fee-rate")
    }

    @Test func reserveBeyondAvailableIsRefused() throws {
        var ledger = try market()
        // 199 t x 5,003 = 995,597 fits; 200 t x 5,003 = 1,000,600 does not.
        #expect(refusal(&ledger) {
            try $0.reserve(orderId: "B-1", account: "BUYER", quantity: 200, limitPrice: 5_000)
        } == "insufficient-funds")
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 199, limitPrice: 5_000)
    }

    @Test func reserveRefusals() throws {
        var ledger = try market()
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 1, limitPrice: 5_000)
        #expect(refusal(&ledger) { try $0.reserve(orderId: "B-1", account: "BUYER", quantity: 1, limitPrice: 5_000) }
            == "duplicate-reservation")
        #expect(refusal(&ledger) { try $0.reserve(orderId: "B-2", account: "NOBODY", quantity: 1, limitPrice: 5_000) }
            == "unknown-account")
        #expect(refusal(&ledger) { try $0.reserve(orderId: "B-2", account: "EXCHANGE-FEES", quantity: 1, limitPrice: 1) }
            == "invalid-account")
        #expect(refusal(&ledger) { try $0.reserve(orderId: "", account: "BUYER", quantity: 1, limitPrice: 5_000) }
            == "invalid-reference")
        #expect(refusal(&ledger) { try $0.reserve(orderId: "B-2", account: "BUYER", quantity: 0, limitPrice: 5_000) }
            == "invalid-quantity")
        #expect(refusal(&ledger) { try $0.reserve(orderId: "B-2", account: "BUYER", quantity: 1, limitPrice: -1) }
            == "invalid-price")
        #expect(refusal(&ledger) {
            try $0.reserve(orderId: "B-2", account: "BUYER", quantity: 1_000_000_000_000, limitPrice: 100_000_000)
        } == "invalid-amount")
    }

    @Test func releaseReturnsWhatRemainsAndClosesTheReservation() throws {
        var ledger = try market()
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 100, limitPrice: 5_000)
        let entry = try #require(try ledger.release(orderId: "B-1"))
        #expect(entry.kind == .release && entry.debit == .available("BUYER") && entry.credit == .reserved("BUYER", "B-1"))
        #expect(entry.amount == 500_300 && entry.reference == "B-1")
        #expect(ledger.balances(of: "BUYER").available == 1_000_000)
        #expect(ledger.balances(of: "BUYER").reserved == 0)
        #expect(ledger.reservation(for: "B-1")?.isOpen == false)
        #expect(ledger.openReservations.isEmpty)
        expectSound(ledger)
    }

    @Test func releaseIsANoOpForUnknownOrClosedOrders() throws {
        var ledger = try market()
        let before = ledger
        #expect(try ledger.release(orderId: "SELL-ORDER") == nil)
        #expect(ledger == before)
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 100, limitPrice: 5_000)
        try ledger.release(orderId: "B-1")
        let released = ledger
        #expect(try ledger.release(orderId: "B-1") == nil)
        #expect(ledger == released)
        // The order id stays used: a late reserve for the released order is refused.
        #expect(refusal(&ledger) { try $0.reserve(orderId: "B-1", account: "BUYER", quantity: 1, limitPrice: 1) }
            == "duplicate-reservation")
    }

    @Test func releaseAfterAPartialFillReturnsOnlyTheRemaindersHold() throws {
        var ledger = try market()
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 100, limitPrice: 5_000)
        try ledger.settle(trade("T1", quantity: 40, price: 5_000))
        let entry = try #require(try ledger.release(orderId: "B-1"))
        #expect(entry.amount == Fen(60 * 5_003))
        expectSound(ledger)
    }
}
