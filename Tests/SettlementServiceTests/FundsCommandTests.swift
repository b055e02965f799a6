import Contract
import Foundation
@testable import SettlementService
import Testing

/// `settlement.commands`: deposits and withdrawals, and their refusals.
@Suite("Deposits and withdrawals")
struct FundsCommandTests {
    let settlement: SettlementHarness

    init() throws { settlement = try SettlementHarness() }

    @Test func aDepositOpensTheAccountAndIsAnswered() throws {
        let events = try settlement.send(deposit("B-co", 1_000_000, ref: "bank-1"), to: .settlementCommands)
        #expect(events.payloads(FundsDeposited.self) == [FundsDeposited(accountId: "B-co", amount: 1_000_000, reference: "bank-1")])
        #expect(events.first?.topic == "settlement.events" && events.first?.key == "B-co")
        let account = try #require(try settlement.account("B-co"))
        #expect(account.available == 1_000_000 && account.reserved == 0 && account.withdrawable == 1_000_000)
        #expect(account.netDeposits == 1_000_000 && account.funds == 1_000_000)
        #expect(try settlement.totals().balanced)
    }

    @Test func aBankReferenceCountsOnce() throws {
        try settlement.send(deposit("B-co", 500, ref: "bank-1"), to: .settlementCommands)
        let again = try settlement.send(deposit("B-co", 500, ref: "bank-1"), to: .settlementCommands)
        #expect(again.payloads(FundsDeposited.self).isEmpty)
        #expect(again.payloads(CommandRejected.self).map(\.code) == ["duplicate-reference"])
        #expect(try settlement.account("B-co")?.available == 500)
    }

    @Test func aRedeliveredCommandHasNoSecondEffect() throws {
        let id = UUID()
        try settlement.send(deposit("B-co", 500, ref: "bank-1"), to: .settlementCommands, id: id)
        let again = try settlement.send(deposit("B-co", 500, ref: "bank-1"), to: .settlementCommands, id: id)
        #expect(again.isEmpty)
        #expect(try settlement.account("B-co")?.available == 500)
    }

    @Test func aWithdrawalTakesAtMostWhatIsWithdrawable() throws {
        try settlement.send(deposit("B-co", 1_000, ref: "in-1"), to: .settlementCommands)
        let tooMuch = try settlement.send(WithdrawFunds(accountId: "B-co", amount: 1_001, reference: "out-1"),
                                          to: .settlementCommands)
        #expect(tooMuch.payloads(CommandRejected.self).map(\.code) == ["insufficient-withdrawable-funds"])
        let unknown = try settlement.send(WithdrawFunds(accountId: "X-co", amount: 1, reference: "out-2"), to: .settlementCommands)
        #expect(unknown.payloads(CommandRejected.self).map(\.code) == ["unknown-account"])
        let exchange = try settlement.send(deposit("EXCHANGE-FEES", 1, ref: "in-2"), to: .settlementCommands)
        #expect(exchange.payloads(CommandRejected.self).map(\.code) == ["invalid-account"])
        let done = try settlement.send(WithdrawFunds(accountId: "B-co", amount: 400, reference: "out-3"), to: .settlementCommands)
        #expect(done.payloads(FundsWithdrawn.self) == [FundsWithdrawn(accountId: "B-co", amount: 400, reference: "out-3")])
        #expect(try settlement.account("B-co")?.available == 600)
        let totals = try settlement.totals()
        #expect(totals.deposited == 1_000 && totals.withdrawn == 400 && totals.participantFunds == 600 && totals.balanced)
    }

    @Test func reservedFundsCannotBeWithdrawn() throws {
        try settlement.send(deposit("B-co", 600_000, ref: "in-1"), to: .settlementCommands)
        try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        #expect(try settlement.account("B-co")?.withdrawable == 99_700)
        let refused = try settlement.send(WithdrawFunds(accountId: "B-co", amount: 99_701, reference: "out-1"),
                                          to: .settlementCommands)
        #expect(refused.payloads(CommandRejected.self).map(\.code) == ["insufficient-withdrawable-funds"])
    }

    @Test func theLedgerPageListsAnAccountsEntriesNewestFirst() throws {
        try settlement.send(deposit("B-co", 600_000, ref: "in-1"), to: .settlementCommands)
        try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        try settlement.send(WithdrawFunds(accountId: "B-co", amount: 700, reference: "out-1"), to: .settlementCommands)
        struct Page: Decodable {
            struct Entry: Decodable { var seq: Int64; var kind: String; var amount: Int64; var fundsChange: Int64 }
            var entries: [Entry]
        }
        let page = try #require(try settlement.admin("/accounts/{id}/ledger", parameters: ["id": "B-co"], as: Page.self).body)
        #expect(page.entries.map(\.kind) == ["withdraw", "reserve", "deposit"])
        #expect(page.entries.map(\.fundsChange) == [-700, 0, 600_000])
        #expect(try settlement.admin("/accounts/{id}/ledger", parameters: ["id": "nobody"], as: Page.self).status == 404)
    }
}
