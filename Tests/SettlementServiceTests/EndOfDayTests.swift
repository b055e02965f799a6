import Contract
import Foundation
@testable import SettlementService
import Testing

/// Trading days: T+1 proceeds, statements and the reconciliation when the session closes.
@Suite("End of day")
struct EndOfDayTests {
    let settlement: SettlementHarness

    /// Day 2026-07-16: B-co deposits 1,000,000, buys 100 t at 5,000 from S-co (trade T-1).
    init() throws {
        settlement = try SettlementHarness()
        try settlement.send(opened("2026-07-16"), to: .matchingEvents)
        try settlement.send(deposit("B-co", 1_000_000, ref: "in-1"), to: .settlementCommands)
        try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        try settlement.send(executed("T-1", buy: "b1", sell: "s1", 100, at: 5_000), to: .matchingEvents)
    }

    struct Reconciliation: Decodable {
        struct Report: Decodable {
            struct Break: Decodable { var code: String; var difference: Int64 }
            var breaks: [Break]
        }
        var status: String
        var statements: Int
        var report: Report
        var awaiting: [String]?
    }

    private func reconciliation(_ day: String) throws -> Reconciliation? {
        try settlement.admin("/reconciliation/{tradingDay}", parameters: ["tradingDay": day], as: Reconciliation.self).body
    }

    @Test func theCloseIssuesAStatementPerAccountAndABalancedReconciliation() throws {
        try settlement.send(delivered("T-1", 100), to: .registryEvents)
        let events = try settlement.send(closed("2026-07-16"), to: .matchingEvents)
        let statements = events.payloads(StatementIssued.self)
        #expect(statements.map(\.accountId) == ["B-co", "S-co"])
        let buyer = try #require(statements.first)
        #expect(buyer.opening == 0 && buyer.closing == 499_750 && buyer.fees == 250 && buyer.deposits == 1_000_000)
        #expect(buyer.trades == [StatementTrade(tradeId: "T-1", side: .buy, quantity: 100, price: 5_000, value: 500_000, fee: 250)])
        let seller = try #require(statements.last)
        #expect(seller.opening == 0 && seller.closing == 499_750 && seller.fees == 250)
        #expect(seller.trades.map(\.side) == [.sell])
        let done = try #require(events.payloads(ReconciliationCompleted.self).first)
        #expect(done.balanced && done.breaks.isEmpty && done.tradingDay == civil("2026-07-16"))
        #expect(done.deposited == 1_000_000 && done.feesCharged == 500 && done.participantFunds == 999_500 && done.feeAccount == 500)
        #expect(try reconciliation("2026-07-16")?.status == "balanced")
        #expect(try reconciliation("2026-07-16")?.statements == 2)
        // Another close of the same day changes nothing.
        #expect(try settlement.send(closed("2026-07-16"), to: .matchingEvents).isEmpty)
    }

    @Test func theReconciliationWaitsForTheDaysLastDeliveries() throws {
        let close = try settlement.send(closed("2026-07-16"), to: .matchingEvents)
        #expect(close.payloads(StatementIssued.self).count == 2)
        #expect(close.payloads(ReconciliationCompleted.self).isEmpty)
        #expect(try reconciliation("2026-07-16")?.status == "awaiting-legs")
        #expect(try reconciliation("2026-07-16")?.awaiting == ["T-1"])
        let late = try settlement.send(delivered("T-1", 100), to: .registryEvents)
        #expect(late.types == ["TradeSettled", "ReconciliationCompleted"])
        #expect(late.payloads(ReconciliationCompleted.self).first?.balanced == true)
        #expect(try reconciliation("2026-07-16")?.status == "balanced")
    }

    @Test func aDeliveryThatNeverComesBreaksTheReconciliationAfterTheTimeout() throws {
        try settlement.send(closed("2026-07-16"), to: .matchingEvents)
        let timeout = settlement.configuration.rules.legTimeoutMilliseconds
        let events = try settlement.tick(at: settlement.clock + timeout + 1)
        #expect(events.payloads(SettlementAlarm.self).map(\.code) == ["leg-overdue"])
        let done = try #require(events.payloads(ReconciliationCompleted.self).first)
        #expect(!done.balanced)
        #expect(done.breaks.map(\.code) == ["unsettled-trade"])
        #expect(done.breaks.first?.difference == 500_000)
        #expect(try reconciliation("2026-07-16")?.status == "broken")
        struct Alarms: Decodable { struct Alarm: Decodable { var code: String }; var alarms: [Alarm] }
        let codes = try settlement.admin("/alarms", as: Alarms.self).body?.alarms.map(\.code)
        #expect(codes == ["unsettled-trade", "leg-overdue"])
    }

    @Test func aBalanceThatDoesNotMatchTheJournalIsABreakWithItsDifference() throws {
        try settlement.send(delivered("T-1", 100), to: .registryEvents)
        try settlement.tamper("UPDATE accounts SET available = available + 7 WHERE accountId = 'S-co'")
        let events = try settlement.send(closed("2026-07-16"), to: .matchingEvents)
        let done = try #require(events.payloads(ReconciliationCompleted.self).first)
        #expect(!done.balanced)
        #expect(Set(done.breaks.map(\.code)) == ["participant-funds-mismatch", "unbalanced-sheet", "account-mismatch"])
        #expect(done.breaks.allSatisfy { $0.difference == 7 })
        #expect(done.breaks.first { $0.code == "account-mismatch" }?.accountId == "S-co")
    }

    @Test func proceedsBecomeWithdrawableOnTheNextTradingDay() throws {
        try settlement.send(delivered("T-1", 100), to: .registryEvents)
        let refused = try settlement.send(WithdrawFunds(accountId: "S-co", amount: 1, reference: "out-1"), to: .settlementCommands)
        #expect(refused.payloads(CommandRejected.self).map(\.code) == ["insufficient-withdrawable-funds"])
        try settlement.send(closed("2026-07-16"), to: .matchingEvents)
        try settlement.send(opened("2026-07-17"), to: .matchingEvents)
        #expect(try settlement.account("S-co")?.withdrawable == 499_750)
        #expect(try settlement.totals().tradingDay == "2026-07-17")
        let paid = try settlement.send(WithdrawFunds(accountId: "S-co", amount: 499_750, reference: "out-2"), to: .settlementCommands)
        #expect(paid.payloads(FundsWithdrawn.self).count == 1)
        // The next day's statement opens where the last one closed.
        let next = try settlement.send(closed("2026-07-17"), to: .matchingEvents).payloads(StatementIssued.self)
        let seller = try #require(next.first { $0.accountId == "S-co" })
        #expect(seller.opening == 499_750 && seller.closing == 0 && seller.withdrawals == 499_750 && seller.trades.isEmpty)
    }

    @Test func aNewDayWithoutTheLastCloseStillGetsItsStatements() throws {
        try settlement.send(delivered("T-1", 100), to: .registryEvents)
        let events = try settlement.send(opened("2026-07-17"), to: .matchingEvents)
        #expect(events.payloads(StatementIssued.self).map(\.tradingDay) == [civil("2026-07-16"), civil("2026-07-16")])
        #expect(events.payloads(ReconciliationCompleted.self).first?.balanced == true)
    }

    @Test func eachCloseReadsTheJournalFromWhereTheDayBeforeBegan() throws {
        func checkpoint() throws -> Int { try settlement.count("SELECT COALESCE(MAX(sequence), 0) FROM journal_checkpoint") }
        func lastEntry(before day: String) throws -> Int {
            try settlement.count("SELECT COALESCE(MAX(seq), 0) FROM journal WHERE tradingDay < ?", [day])
        }
        try settlement.send(delivered("T-1", 100), to: .registryEvents)
        try settlement.send(closed("2026-07-16"), to: .matchingEvents)
        // Day 1's entries stay after the checkpoint until the next close (a late delivery may
        // reconcile day 1 again).
        #expect(try checkpoint() == 0)
        try settlement.send(opened("2026-07-17"), to: .matchingEvents)
        try settlement.send(WithdrawFunds(accountId: "B-co", amount: 1_000, reference: "out-1"), to: .settlementCommands)
        let dayTwo = try settlement.send(closed("2026-07-17"), to: .matchingEvents)
        #expect(try checkpoint() == lastEntry(before: "2026-07-17") && checkpoint() > 0)
        let buyer = try #require(dayTwo.payloads(StatementIssued.self).first { $0.accountId == "B-co" })
        #expect(buyer.opening == 499_750 && buyer.withdrawals == 1_000 && buyer.closing == 498_750)
        #expect(dayTwo.payloads(ReconciliationCompleted.self).first?.balanced == true)

        // A restart keeps the checkpoint; a balance that no longer matches entries folded into it
        // long ago is still a break with its difference.
        try settlement.restart()
        try settlement.send(opened("2026-07-20"), to: .matchingEvents)
        try settlement.tamper("UPDATE accounts SET available = available + 3 WHERE accountId = 'S-co'")
        let dayThree = try settlement.send(closed("2026-07-20"), to: .matchingEvents)
        #expect(try checkpoint() == lastEntry(before: "2026-07-20"))
        let done = try #require(dayThree.payloads(ReconciliationCompleted.self).first)
        #expect(!done.balanced)
        let mismatch = try #require(done.breaks.first { $0.code == "account-mismatch" })
        #expect(mismatch.accountId == "S-co" && mismatch.difference == 3)
        #expect(dayThree.payloads(StatementIssued.self).first { $0.accountId == "S-co" }?.opening == 499_750)
    }

    @Test func aDayReconciledAfterTheNextDayClosedReadsTheWholeJournal() throws {
        // Day 1 waits for T-1's delivery past the close of day 2, which moves the checkpoint
        // beyond day 1's entries: day 1's reconciliation then reads the journal from the start.
        try settlement.send(closed("2026-07-16"), to: .matchingEvents)
        try settlement.send(opened("2026-07-17"), to: .matchingEvents)
        try settlement.send(closed("2026-07-17"), to: .matchingEvents)
        #expect(try reconciliation("2026-07-16")?.status == "awaiting-legs")
        #expect(try settlement.count("SELECT sequence FROM journal_checkpoint") > 0)
        let late = try settlement.send(delivered("T-1", 100), to: .registryEvents)
        let done = try #require(late.payloads(ReconciliationCompleted.self).first)
        #expect(done.tradingDay == civil("2026-07-16") && done.balanced && done.feesCharged == 500)
        #expect(try reconciliation("2026-07-16")?.status == "balanced")
    }

    @Test func aLongStatementContinuesInMoreRecords() throws {
        let small = try SettlementHarness(configuration: SettlementConfiguration(statementLinesPerRecord: 2))
        try small.send(opened("2026-07-16"), to: .matchingEvents)
        try small.send(deposit("B-co", 1_000_000, ref: "in-1"), to: .settlementCommands)
        try small.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        for index in 1...5 {
            try small.send(executed("T-\(index)", buy: "b1", sell: "s1", 10, at: 5_000), to: .matchingEvents)
            try small.send(delivered("T-\(index)", 10), to: .registryEvents)
        }
        let events = try small.send(closed("2026-07-16"), to: .matchingEvents).filter { $0.key == "B-co" }
        #expect(events.types == ["StatementIssued", "StatementContinued", "StatementContinued"])
        #expect(events.payloads(StatementIssued.self).first?.trades.count == 2)
        #expect(events.payloads(StatementContinued.self).map(\.part) == [2, 3])
        #expect(events.payloads(StatementContinued.self).map(\.parts) == [3, 3])
        #expect(events.payloads(StatementContinued.self).map(\.trades.count) == [2, 1])
    }
}
