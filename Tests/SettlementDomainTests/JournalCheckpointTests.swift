import Testing
import SettlementDomain

/// The journal folded up to an entry, from which a day closes reading only what came after.
@Suite struct JournalCheckpointTests {
    private func folded(_ entries: some Sequence<FundsEntry>) -> JournalCheckpoint {
        var checkpoint = JournalCheckpoint()
        for entry in entries {
            let folded = checkpoint.fold(entry)
            #expect(folded, "entry \(entry.sequence)")
        }
        return checkpoint
    }

    @Test func foldsOnlyTheNextEntryInSequence() throws {
        let journal = try twoDays().journal
        var checkpoint = JournalCheckpoint()
        let gap = checkpoint.fold(journal[1])
        #expect(!gap && checkpoint == JournalCheckpoint(), "a gap")
        let first = checkpoint.fold(journal[0])
        #expect(first)
        let again = checkpoint.fold(journal[0])
        #expect(!again, "the same entry twice")
        #expect(checkpoint.sequence == 1)
    }

    @Test func keepsWhatTheEntriesAddUpTo() throws {
        let books = try twoDays()
        let checkpoint = folded(books.journal)
        #expect(checkpoint.totals == books.ledger.totals)
        #expect(checkpoint.balances == books.ledger.balanceSheet.filter { $0.value != .zero })
        #expect(checkpoint.balances[.reserved("BUYER", "B-1")] != nil, "B-1 still holds 50 t")
        #expect(checkpoint.latestDay == day2 && checkpoint.sequence == Int64(books.journal.count))
    }

    @Test func dropsAccountsWhoseEntriesAddUpToZero() throws {
        var books = Books(try FundsLedger(tradingDay: day1))
        try books.deposit("BUYER", 1_000_000, "in-b")
        try books.reserve("B-1", "BUYER", 100, at: 5_000)
        try books.release("B-1")
        let checkpoint = folded(books.journal)
        #expect(Set(checkpoint.balances.keys) == [.available("BUYER"), .bank("BUYER")])
        #expect(checkpoint.participantFunds == ["BUYER": FundsSplit(available: 1_000_000)])
    }

    @Test func precedesOnlyDaysAfterEverythingFolded() throws {
        let journal = try twoDays().journal
        let dayOne = folded(journal.filter { $0.tradingDay == day1 })
        #expect(JournalCheckpoint().precedes(day1))
        #expect(dayOne.precedes(day2) && !dayOne.precedes(day1))
        #expect(!folded(journal).precedes(day2) && folded(journal).precedes(day3))
    }

    @Test func dayTwoClosesFromTheCheckpointOfDayOne() throws {
        let books = try twoDays()
        let dayOne = folded(books.journal.filter { $0.tradingDay == day1 })
        let after = books.journal.filter { $0.sequence > dayOne.sequence }
        #expect(StatementBuilder().statements(for: day2, after: dayOne, journal: after)
            == StatementBuilder().statements(for: day2, journal: books.journal))
        let whole = Reconciliation().reconcile(day: day2, ledger: books.ledger, journal: books.journal,
                                               tradesExecuted: [], tradesSettled: [])
        let fromCheckpoint = Reconciliation().reconcile(day: day2, balances: books.ledger.balanceSheet, after: dayOne,
                                                        journal: after, tradesExecuted: [], tradesSettled: [])
        #expect(fromCheckpoint == whole && whole.isBalanced)
        #expect(dayOne.participantFunds["SELLER"] == FundsSplit(available: Fen(1_000 + 249_600 - 125)))
    }

    @Test func aBreakInTheFoldedPartStillShows() throws {
        // A balance sheet that disagrees with entries folded long ago is still a break: the
        // checkpoint carries what those entries add up to.
        let books = try twoDays()
        let dayOne = folded(books.journal.filter { $0.tradingDay == day1 })
        let after = books.journal.filter { $0.sequence > dayOne.sequence }
        var sheet = books.ledger.balanceSheet
        sheet[.available("BUYER")] = (sheet[.available("BUYER")] ?? .zero) + 1
        sheet[.bank("BUYER")] = (sheet[.bank("BUYER")] ?? .zero) - 1
        let report = Reconciliation().reconcile(day: day2, balances: sheet, after: dayOne, journal: after,
                                                tradesExecuted: [], tradesSettled: [])
        #expect(report.breaks.map(\.code).contains("account-mismatch"))
        #expect(report.breaks.map(\.code).contains("participant-funds-mismatch"))
    }
}
