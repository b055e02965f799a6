import Contract
import Foundation
import GRDB
@testable import SettlementService
import SettlementDomain
import Testing

/// The ledger in memory never runs ahead of SQLite, and the legs survive a restart.
@Suite("Ledger host and restarts")
struct LedgerHostTests {
    struct Boom: Error {}

    @Test func aFailureAfterTheLedgerChangedReloadsItFromTheRolledBackStore() throws {
        let settlement = try SettlementHarness()
        try settlement.send(deposit("B-co", 1_000, ref: "in-1"), to: .settlementCommands)
        let host = settlement.handler.host
        try settlement.loop.store.write { db in
            // A step that changes the ledger, writes, then fails: its savepoint rolls back.
            try? db.inSavepoint {
                _ = try host.with(db) { ledger -> Bool in
                    let entry = try ledger.deposit(to: "B-co", amount: 500, reference: "in-2")
                    try JournalStore.append(db, [entry], at: Timestamp(millisecondsSinceEpoch: 0), cause: "test")
                    throw Boom()
                }
                return .commit
            }
            // The next use sees what the store holds, not the failed step's change.
            let available = try host.with(db) { $0.balances(of: "B-co").available }
            #expect(available == 1_000)
        }
        let again = try settlement.send(deposit("B-co", 500, ref: "in-2"), to: .settlementCommands)
        #expect(again.payloads(FundsDeposited.self).count == 1, "the failed step left no trace of its reference")
        #expect(try settlement.account("B-co")?.available == 1_500)
        #expect(settlement.ledger.invariantViolations.isEmpty)
    }

    @Test func aLegRecordedBeforeARestartPairsWithOneAfterIt() throws {
        let settlement = try SettlementHarness()
        try settlement.send(opened("2026-07-16"), to: .matchingEvents)
        try settlement.send(deposit("B-co", 1_000_000, ref: "in-1"), to: .settlementCommands)
        try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        try settlement.send(executed("T-1", buy: "b1", sell: "s1", 100, at: 5_000), to: .matchingEvents)
        try settlement.restart()
        #expect(settlement.ledger.tradingDay?.rawValue == "2026-07-16")
        #expect(try settlement.send(executed("T-1", buy: "b1", sell: "s1", 100, at: 5_000), to: .matchingEvents).isEmpty)
        let settled = try settlement.send(delivered("T-1", 100), to: .registryEvents).payloads(TradeSettled.self)
        #expect(settled.map(\.tradeId) == ["T-1"])
        try settlement.restart()
        #expect(try settlement.send(delivered("T-1", 100), to: .registryEvents).isEmpty)
    }

    @Test func aJournalWrittenWithOtherExchangeAccountsIsNotReplayed() throws {
        let settlement = try SettlementHarness()
        try settlement.send(deposit("B-co", 1_000, ref: "in-1"), to: .settlementCommands)
        let other = SettlementRules(feeAccountId: "OTHER-FEES")
        #expect(throws: StoreCorruption.self) {
            try settlement.loop.store.read { try LedgerHost.load($0, rules: other, checkingBalances: true) }
        }
    }
}
