import Foundation
import Testing
import SettlementDomain

/// The journal is the truth: replaying the stored entries rebuilds the same ledger, and a
/// corrupt journal is refused.
@Suite struct JournalReplayTests {
    /// A day of business with every entry kind.
    private func books() throws -> Books {
        var books = Books(try FundsLedger(tradingDay: day1))
        try books.deposit("BUYER", 1_000_000, "in-1")
        try books.deposit("SELLER", 5_000, "in-2")
        try books.reserve("B-1", "BUYER", 100, at: 5_000)
        try books.reserve("B-2", "BUYER", 10, at: 4_000)
        try books.settle(trade("T1", quantity: 40, price: 4_990))
        try books.release("B-2")
        try books.withdraw("SELLER", 5_000, "out-1")
        return books
    }

    @Test func replayRebuildsTheSameLedger() throws {
        let books = try books()
        let replayed = try FundsLedger(tradingDay: day1, replaying: books.journal)
        #expect(replayed == books.ledger)
        #expect(replayed.balances(of: "SELLER").proceedsToday == 199_500)
        #expect(replayed.lastSequence == Int64(books.journal.count))
    }

    @Test func replayOnALaterDayFreesYesterdaysProceeds() throws {
        var books = try books()
        let replayed = try FundsLedger(tradingDay: day2, replaying: books.journal)
        try books.ledger.startTradingDay(day2)
        #expect(replayed == books.ledger)
    }

    @Test func entriesSurviveJSON() throws {
        let books = try books()
        let data = try JSONEncoder().encode(books.journal)
        let decoded = try JSONDecoder().decode([FundsEntry].self, from: data)
        #expect(decoded == books.journal)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"settle-buyer\"") && text.contains("\"2026-07-16\""))
    }

    @Test func replayRefusesAGapInTheSequence() throws {
        var journal = try books().journal
        journal.remove(at: 2)
        #expect(replayCode(journal) == "invalid-journal")
    }

    @Test func replayRefusesEntriesThatBreakABalanceOrARole() throws {
        let journal = try books().journal
        var overdrawn = journal
        overdrawn[6].amount = 999_999_999 // the buyer's fee, more than the reservation holds
        #expect(replayCode(overdrawn) == "invalid-journal")
        var wrongRole = journal
        wrongRole[0].credit = .available("SOMEONE")
        #expect(replayCode(wrongRole) == "invalid-journal")
        var settledTwice = journal
        settledTwice.append(FundsEntry(sequence: Int64(journal.count + 1), kind: .settleBuyer,
                                       debit: .clearing(.standard), credit: .reserved("BUYER", "B-1"), amount: 1,
                                       reference: "T1", fill: TradeFill(quantity: 1, price: 1)))
        #expect(replayCode(settledTwice) == "invalid-journal")
    }

    @Test func applyRefusesMalformedEntriesWithTheirOwnCodes() throws {
        var ledger = try books().ledger
        let next = ledger.lastSequence + 1
        func entry(_ kind: FundsEntryKind, _ debit: FundsAccount, _ credit: FundsAccount, _ amount: Fen,
                   terms: ReservationTerms? = nil, fill: TradeFill? = nil) -> FundsEntry {
            FundsEntry(sequence: next, kind: kind, debit: debit, credit: credit, amount: amount, reference: "r",
                       terms: terms, fill: fill)
        }
        #expect(refusal(&ledger) { try $0.apply(entry(.deposit, .available("A"), .bank("A"), 0)) } == "invalid-amount")
        #expect(refusal(&ledger) { try $0.apply(entry(.deposit, .available("A"), .bank("B"), 1)) } == "invalid-journal")
        #expect(refusal(&ledger) { try $0.apply(entry(.deposit, .available("EXCHANGE-FEES"), .bank("EXCHANGE-FEES"), 1)) }
            == "invalid-journal")
        #expect(refusal(&ledger) {
            try $0.apply(entry(.reserve, .reserved("BUYER", "B-9"), .available("BUYER"), 10,
                               terms: ReservationTerms(quantity: 1, limitPrice: 5, feeRate: .basisPoints(5))))
        } == "invalid-journal")
        #expect(refusal(&ledger) { try $0.apply(entry(.release, .available("BUYER"), .reserved("BUYER", "NONE"), 1)) }
            == "insufficient-funds")
        #expect(refusal(&ledger) {
            try $0.apply(entry(.settleBuyer, .clearing(.standard), .reserved("BUYER", "B-1"), 5_001,
                               fill: TradeFill(quantity: 1, price: 5_001)))
        } == "price-above-limit")
        #expect(refusal(&ledger) {
            try $0.apply(entry(.settleBuyer, .clearing(.standard), .reserved("BUYER", "B-1"), 5_000,
                               fill: TradeFill(quantity: 2, price: 5_000)))
        } == "invalid-journal")
        #expect(refusal(&ledger) {
            try $0.apply(entry(.fee, .fees(.standard), .available("BUYER"), 1).withSequence(next + 1))
        } == "invalid-journal")
    }

    private func replayCode(_ journal: [FundsEntry]) -> String? {
        do { _ = try FundsLedger(tradingDay: day1, replaying: journal); return nil } catch { return error.code }
    }
}

extension FundsEntry {
    func withSequence(_ sequence: Int64) -> FundsEntry {
        var copy = self
        copy.sequence = sequence
        return copy
    }
}
