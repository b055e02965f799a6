import Testing
import SettlementDomain

/// End-of-day statements built from the journal.
@Suite struct StatementTests {
    @Test func dayOneStatementsShowDepositsTradesAndFees() throws {
        let statements = StatementBuilder().statements(for: day1, journal: try twoDays().journal)
        #expect(statements.map(\.accountId) == ["BUYER", "SELLER"])
        let buyer = statements[0], seller = statements[1]
        #expect(buyer.opening == 0 && buyer.deposits == 1_000_000 && buyer.withdrawals == 0)
        #expect(buyer.trades == [
            StatementLine(tradeId: "T1", side: .buy, quantity: 40, price: 4_990, value: 199_600, fee: 100),
            StatementLine(tradeId: "T2", side: .buy, quantity: 10, price: 5_000, value: 50_000, fee: 25),
        ])
        #expect(buyer.fees == 125)
        #expect(buyer.closing == Fen(1_000_000 - 249_600 - 125))
        #expect(buyer.closingReserved == Fen(50 * 5_003))
        #expect(seller.trades.map(\.side) == [.sell, .sell] && seller.fees == 125)
        #expect(seller.closing == Fen(1_000 + 249_600 - 125))
        #expect(statements.allSatisfy { $0.isConsistent })
    }

    @Test func dayTwoOpensWhereDayOneClosed() throws {
        let journal = try twoDays().journal
        let first = StatementBuilder().statements(for: day1, journal: journal)
        let second = StatementBuilder().statements(for: day2, journal: journal)
        #expect(second.map(\.opening) == first.map(\.closing))
        let seller = second[1]
        #expect(seller.withdrawals == 200_000 && seller.deposits == 0)
        #expect(seller.trades == [StatementLine(tradeId: "T3", side: .buy, quantity: 10, price: 4_000, value: 40_000,
                                                fee: 20)])
        #expect(second[0].trades.map(\.side) == [.sell] && second[0].fees == 20)
        #expect(second.allSatisfy { $0.isConsistent })
    }

    @Test func aQuietAccountWithFundsStillGetsAStatement() throws {
        var books = try twoDays()
        try books.deposit("IDLE", 5, "in-i")
        try books.ledger.startTradingDay(day3)
        let statements = StatementBuilder().statements(for: day3, journal: books.journal)
        #expect(statements.map(\.accountId) == ["BUYER", "IDLE", "SELLER"])
        #expect(statements.allSatisfy { $0.trades.isEmpty && $0.opening == $0.closing })
        #expect(StatementBuilder().statements(for: day("2026-07-15"), journal: books.journal).isEmpty)
    }

    @Test func aTradeWithOneselfGivesTwoLines() throws {
        var books = Books(try FundsLedger(tradingDay: day1))
        try books.deposit("BUYER", 100_000, "in-b")
        try books.reserve("B-1", "BUYER", 10, at: 5_000)
        try books.settle(trade("T1", seller: "BUYER", quantity: 10, price: 5_000))
        let statement = try #require(StatementBuilder().statements(for: day1, journal: books.journal).first)
        #expect(statement.trades.map(\.side) == [.buy, .sell])
        #expect(statement.trades.map(\.fee) == [25, 25])
        #expect(statement.isConsistent && statement.closing == Fen(100_000 - 50))
    }

    @Test func openingBalancesCanBeGivenDirectly() throws {
        let journal = try twoDays().journal
        let dayTwo = journal.filter { $0.tradingDay == day2 }
        let opening = StatementBuilder().statements(for: day1, journal: journal).reduce(into: [AccountID: FundsSplit]()) {
            $0[$1.accountId] = FundsSplit(available: $1.closingAvailable, reserved: $1.closingReserved)
        }
        #expect(StatementBuilder().statements(for: day2, opening: opening, entries: dayTwo)
            == StatementBuilder().statements(for: day2, journal: journal))
    }
}
