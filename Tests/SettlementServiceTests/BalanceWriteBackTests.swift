import Contract
import EcoTestKit
import Foundation
import GRDB
@testable import SettlementService
import SettlementDomain
import Testing

/// The balance rows are written back once per batch (`PendingBalanceRows`) instead of after
/// every input. Nothing may tell the two apart: a day's inputs applied as one batch leave the
/// same rows, journal and events, column for column, as the same inputs applied one batch each.
@Suite("Balance rows written back once per batch")
struct BalanceWriteBackTests {
    /// A day of deposits, holds, trades (one with price improvement), a cancel, then a new day in
    /// the middle of the batch (the first day's close never came: its statements and
    /// reconciliation run there, reading the balance tables), a hold on the new day, a withdrawal
    /// of the first day's proceeds and the new day's close.
    static let inputs = MixedInput.numbered("balance-write-back", [
        (opened("2026-07-16"), .matchingEvents),
        (deposit("B-co", 2_000_000, ref: "in-b"), .settlementCommands),
        (deposit("S-co", 100_000, ref: "in-s"), .settlementCommands),
        (deposit("C-co", 1_000_000, ref: "in-c"), .settlementCommands),
        (buy("b1", by: "B-co", 100, at: 5_000), .marketOrders),
        (buy("b2", by: "B-co", 50, at: 5_100), .marketOrders),
        (buy("c1", by: "C-co", 80, at: 5_000), .marketOrders),
        (executed("T-1", buy: "b1", sell: "s1", 100, at: 4_900), .matchingEvents),
        (delivered("T-1", 100), .registryEvents),
        (executed("T-2", buy: "c1", sell: "s2", buyer: "C-co", 40, at: 5_000), .matchingEvents),
        (OrderCancelled(orderId: "c1", accountId: "C-co", instrument: cea, remainingQuantity: 40), .matchingEvents),
        (opened("2026-07-17"), .matchingEvents),
        (buy("b3", by: "B-co", 10, at: 5_000), .marketOrders),
        (executed("T-3", buy: "b2", sell: "s3", 50, at: 5_100, day: "2026-07-17"), .matchingEvents),
        (delivered("T-2", to: "C-co", 40), .registryEvents),
        (WithdrawFunds(accountId: "S-co", amount: 100_000, reference: "out-s"), .settlementCommands),
        (delivered("T-3", 50), .registryEvents),
        (closed("2026-07-17"), .matchingEvents),
    ])

    /// Every row of the tables the write-back touches, and of those it must not change.
    static func contents(_ settlement: SettlementHarness) throws -> [String: [Row]] {
        var contents: [String: [Row]] = [:]
        let queries = [
            "accounts": "SELECT * FROM accounts ORDER BY accountId",
            "exchange_accounts": "SELECT * FROM exchange_accounts ORDER BY accountId",
            "reservations": "SELECT * FROM reservations ORDER BY orderId",
            "journal": "SELECT * FROM journal ORDER BY seq",
            "outbox": "SELECT eventId, topic, key, value FROM outbox ORDER BY seq",
        ]
        try settlement.loop.store.read { db in
            for (table, sql) in queries { contents[table] = try Row.fetchAll(db, sql: sql) }
        }
        return contents
    }

    @Test func oneBatchLeavesWhatOneBatchPerInputLeaves() throws {
        let perInput = try SettlementHarness()
        for input in Self.inputs { try perInput.sendMixed([input]) }
        let oneBatch = try SettlementHarness()
        try oneBatch.sendMixed(Self.inputs)

        let expected = try Self.contents(perInput)
        let actual = try Self.contents(oneBatch)
        for table in expected.keys.sorted() {
            #expect(actual[table] == expected[table], "table \(table)")
        }
        // The scenario reached what it is about: rows of both days, a cancelled reservation,
        // proceeds withdrawn, and a day that balanced.
        #expect(try oneBatch.count("SELECT COUNT(*) FROM reservations WHERE closedBy = 'cancelled'") == 1)
        #expect(try oneBatch.count("SELECT COUNT(*) FROM reservations WHERE tradingDay = '2026-07-17'") == 1)
        #expect(try oneBatch.count("SELECT COUNT(*) FROM accounts WHERE updatedAt > 0") == 3)
        let totals = try oneBatch.totals()
        #expect(totals.withdrawn == 100_000 && totals.balanced)
        #expect(try oneBatch.count("SELECT COUNT(*) FROM reconciliations WHERE status = 'balanced'") == 2)
    }

    /// At every commit the stored balances are the ledger's.
    @Test func theTablesEqualTheLedgerAfterEachBatch() throws {
        let settlement = try SettlementHarness()
        for batch in stride(from: 0, to: Self.inputs.count, by: 5) {
            try settlement.sendMixed(Array(Self.inputs[batch..<min(batch + 5, Self.inputs.count)]))
            let ledger = settlement.ledger
            for account in ["B-co", "C-co", "S-co"] {
                let stored = try #require(try settlement.account(account))
                let balances = ledger.balances(of: AccountID(account))
                #expect(stored.available == balances.available.rawValue, "\(account) after input \(batch)")
                #expect(stored.reserved == balances.reserved.rawValue, "\(account) after input \(batch)")
                #expect(stored.withdrawable == balances.withdrawable.rawValue, "\(account) after input \(batch)")
            }
            #expect(try settlement.totals().balanced)
        }
    }
}
