import Testing
import SettlementDomain

/// Sale proceeds: usable for trading at once, withdrawable on the next trading day.
@Suite struct TradingDayTests {
    /// SELLER (1,000 fen deposited) sold 40 t at 4,990 on day 1: proceeds 199,600 - 100 fee.
    private func afterASale(rules: SettlementRules = .standard) throws -> FundsLedger {
        var ledger = try market(rules: rules)
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 100, limitPrice: 5_000)
        try ledger.settle(trade("T1", quantity: 40, price: 4_990))
        return ledger
    }

    @Test func proceedsAreNotWithdrawableTheSameDay() throws {
        var ledger = try afterASale()
        let seller = ledger.balances(of: "SELLER")
        #expect(seller.available == 200_500 && seller.proceedsToday == 199_500 && seller.withdrawable == 1_000)
        #expect(refusal(&ledger) { try $0.withdraw(from: "SELLER", amount: 1_001, reference: "out") }
            == "insufficient-withdrawable-funds")
        try ledger.withdraw(from: "SELLER", amount: 1_000, reference: "out")
        #expect(ledger.balances(of: "SELLER").withdrawable == 0)
    }

    @Test func proceedsBecomeWithdrawableOnTheNextTradingDay() throws {
        var ledger = try afterASale()
        #expect(try ledger.startTradingDay(day2))
        #expect(ledger.tradingDay == day2)
        let seller = ledger.balances(of: "SELLER")
        #expect(seller.proceedsToday == 0 && seller.withdrawable == 200_500)
        try ledger.withdraw(from: "SELLER", amount: 200_500, reference: "out")
        expectSound(ledger)
    }

    @Test func proceedsAreUsableForTradingAtOnce() throws {
        var ledger = try afterASale()
        try ledger.reserve(orderId: "S-BUY", account: "SELLER", quantity: 40, limitPrice: 5_000)
        let seller = ledger.balances(of: "SELLER")
        #expect(seller.available == Fen(200_500 - 200_120))
        // Spending comes out of withdrawable money first: nothing left to withdraw today ...
        #expect(seller.withdrawable == 0)
        // ... and cancelling the order does not turn today's proceeds into withdrawable money.
        try ledger.release(orderId: "S-BUY")
        #expect(ledger.balances(of: "SELLER").withdrawable == 1_000)
    }

    @Test func proceedsWithdrawableAtOnceWhenTheRulesSaySo() throws {
        var ledger = try afterASale(rules: SettlementRules(proceedsWithdrawableNextTradingDay: false))
        #expect(ledger.balances(of: "SELLER").withdrawable == 200_500)
        try ledger.withdraw(from: "SELLER", amount: 200_500, reference: "out")
    }

    @Test func startingTheSameDayAgainIsANoOpAndAnEarlierDayIsRefused() throws {
        var ledger = try afterASale()
        #expect(try !ledger.startTradingDay(day1))
        #expect(ledger.balances(of: "SELLER").proceedsToday == 199_500)
        try ledger.startTradingDay(day3)
        #expect(refusal(&ledger) { _ = try $0.startTradingDay(day2) } == "stale-trading-day")
    }

    @Test func proceedsBeforeTheFirstDayWaitForIt() throws {
        var ledger = try FundsLedger()
        try ledger.deposit(to: "BUYER", amount: 10_000, reference: "in")
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 1, limitPrice: 5_000)
        try ledger.settle(trade("T1", quantity: 1, price: 5_000))
        #expect(ledger.balances(of: "SELLER").withdrawable == 0)
        try ledger.startTradingDay(day1)
        #expect(ledger.balances(of: "SELLER").withdrawable == 4_997)
    }

    @Test func tradingDaysParseOnlyRealDates() {
        #expect(TradingDay("2026-07-16")?.description == "2026-07-16")
        #expect(TradingDay(year: 2024, month: 2, day: 29) == TradingDay("2024-02-29"))
        for text in ["2026-7-16", "2026-07-32", "2025-02-29", "1900-02-29", "20260716", "2026-07-1x", "0999-01-01", ""] {
            #expect(TradingDay(text) == nil, "\(text)")
        }
        #expect(day1 < day2 && day2 < day3)
    }

    @Test func instantsMeasureMilliseconds() {
        let start = Instant(millisecondsSinceEpoch: 1_000)
        #expect(Instant(millisecondsSinceEpoch: 4_500).milliseconds(since: start) == 3_500)
        #expect(Instant(millisecondsSinceEpoch: Int64.max).milliseconds(since: Instant(millisecondsSinceEpoch: -5)) == Int64.max)
    }
}
