import Testing
import SettlementDomain

/// The market-wide end-of-day reconciliation, and the breaks it must catch.
@Suite struct ReconciliationTests {
    /// A day with deposits, trades, fees, a release and a withdrawal; T1 and T2 executed,
    /// both settled (both legs).
    private func day() throws -> (books: Books, settled: Set<TradeID>) {
        var books = Books(try FundsLedger(tradingDay: day1))
        try books.deposit("BUYER", 1_000_000, "in-b")
        try books.deposit("SELLER", 1_000, "in-s")
        try books.reserve("B-1", "BUYER", 100, at: 5_000)
        try books.reserve("B-2", "BUYER", 10, at: 5_000)
        try books.settle(trade("T1", quantity: 40, price: 4_990))
        try books.settle(trade("T2", quantity: 10, price: 5_000))
        try books.release("B-2")
        try books.withdraw("BUYER", 1_000, "out-b")
        return (books, ["T1", "T2"])
    }

    private func reconcile(_ balances: [FundsAccount: Fen], _ journal: [FundsEntry], executed: [TradeID] = ["T1", "T2"],
                           settled: Set<TradeID> = ["T1", "T2"]) -> ReconciliationReport {
        Reconciliation().reconcile(day: day1, balances: balances, journal: journal, tradesExecuted: executed,
                                   tradesSettled: settled)
    }

    @Test func aSoundDayBalancesToTheFen() throws {
        let (books, settled) = try day()
        let report = Reconciliation().reconcile(day: day1, ledger: books.ledger, journal: books.journal,
                                                tradesExecuted: ["T1", "T2"], tradesSettled: settled)
        #expect(report.isBalanced, "\(report.breaks)")
        #expect(report.totals == FundsTotals(deposited: 1_001_000, withdrawn: 1_000, feesCharged: 250))
        #expect(report.participantFunds == 999_750)
        #expect(report.feeAccount == 250)
    }

    @Test func aFenAddedToAnAccountIsCaught() throws {
        let (books, _) = try day()
        var balances = books.ledger.balanceSheet
        balances[.available("SELLER"), default: 0] += 1
        let report = reconcile(balances, books.journal)
        #expect(!report.isBalanced)
        #expect(report.breaks.map(\.code) == ["participant-funds-mismatch", "unbalanced-sheet", "account-mismatch"])
        #expect(report.breaks.allSatisfy { $0.difference == 1 })
        #expect(report.breaks.last?.accountId == "SELLER")
    }

    @Test func aLostFeeEntryIsCaught() throws {
        let (books, _) = try day()
        let journal = books.journal.filter { !($0.kind == .fee && $0.reference == "T1" && $0.credit.kind == .available) }
        let report = reconcile(books.ledger.balanceSheet, journal)
        let codes = Set(report.breaks.map(\.code))
        #expect(codes == ["participant-funds-mismatch", "fee-account-mismatch", "account-mismatch"])
        // The journal says 100 fen fewer fees, so participants should hold 100 more than they do.
        #expect(report.breaks.first { $0.code == "participant-funds-mismatch" }?.difference == -100)
        #expect(report.breaks.first { $0.code == "fee-account-mismatch" }?.difference == 100)
        #expect(report.breaks.contains { $0.code == "account-mismatch" && $0.accountId == "SELLER" && $0.difference == -100 })
    }

    @Test func moneyStuckInClearingIsCaught() throws {
        let (books, _) = try day()
        var balances = books.ledger.balanceSheet
        balances[.clearing(.standard)] = 7
        balances[.available("SELLER"), default: 0] -= 7
        let report = reconcile(balances, books.journal)
        #expect(report.breaks.contains { $0.code == "clearing-not-zero" && $0.difference == 7 })
        #expect(report.breaks.contains { $0.code == "participant-funds-mismatch" && $0.difference == -7 })
    }

    @Test func aNegativeBalanceIsCaught() throws {
        let (books, _) = try day()
        var balances = books.ledger.balanceSheet
        balances[.available("GHOST")] = -5
        balances[.available("SELLER"), default: 0] += 5
        let report = reconcile(balances, books.journal)
        #expect(report.breaks.contains { $0.code == "negative-balance" && $0.accountId == "GHOST" && $0.difference == -5 })
    }

    @Test func unsettledTradesAreReportedWithTheirValue() throws {
        let (books, _) = try day()
        let report = reconcile(books.ledger.balanceSheet, books.journal, executed: ["T1", "T2", "T3"], settled: ["T2"])
        #expect(report.breaks == [
            ReconciliationBreak(code: "unsettled-trade",
                                detail: "trade T1 is not settled: funds leg settled (value 199600), allowance leg missing",
                                difference: 199_600),
            ReconciliationBreak(code: "unsettled-trade", detail: "trade T3 is not settled: funds leg not settled",
                                difference: 0),
        ])
    }

    @Test func theLedgersOwnInvariantsCatchATamperedJournalOnReplay() throws {
        let (books, _) = try day()
        var journal = books.journal
        journal[0].amount = 1 // the first deposit shrinks: the reservations no longer fit
        #expect(throws: SettlementRefusal.self) { try FundsLedger(tradingDay: day1, replaying: journal) }
    }
}
