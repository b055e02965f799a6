import Testing
import SettlementDomain

/// Deposits and withdrawals: money in and out through the participant's bank.
@Suite struct DepositWithdrawTests {
    @Test func depositCreditsAvailableFromTheBank() throws {
        var ledger = try FundsLedger(tradingDay: day1)
        let entry = try ledger.deposit(to: "A", amount: 5_000, reference: "tx-1")
        #expect(entry == FundsEntry(sequence: 1, kind: .deposit, debit: .available("A"), credit: .bank("A"),
                                    amount: 5_000, reference: "tx-1", tradingDay: day1))
        #expect(ledger.balances(of: "A") == ParticipantBalances(accountId: "A", available: 5_000, reserved: 0,
                                                               proceedsToday: 0, withdrawable: 5_000))
        #expect(ledger.balance(of: .bank("A")) == -5_000)
        #expect(ledger.totals == FundsTotals(deposited: 5_000))
        #expect(ledger.isKnown("A"))
        expectSound(ledger)
    }

    @Test func theSameBankReferenceCreditsOnce() throws {
        var ledger = try market()
        #expect(refusal(&ledger) { try $0.deposit(to: "BUYER", amount: 7, reference: "bank-b-1") } == "duplicate-reference")
        // Another participant may use the same text, and a withdrawal has its own references.
        try ledger.deposit(to: "OTHER", amount: 7, reference: "bank-b-1")
        try ledger.withdraw(from: "BUYER", amount: 7, reference: "bank-b-1")
        #expect(refusal(&ledger) { try $0.withdraw(from: "BUYER", amount: 7, reference: "bank-b-1") } == "duplicate-reference")
    }

    @Test(arguments: [Int64(0), -1, FundsLedger.maxAmount + 1])
    func amountsOutOfRangeAreRefused(_ amount: Int64) throws {
        var ledger = try market()
        #expect(refusal(&ledger) { try $0.deposit(to: "BUYER", amount: Fen(amount), reference: "x") } == "invalid-amount")
        #expect(refusal(&ledger) { try $0.withdraw(from: "BUYER", amount: Fen(amount), reference: "x") } == "invalid-amount")
    }

    @Test func badAccountsAndReferencesAreRefused() throws {
        var ledger = try market()
        #expect(refusal(&ledger) { try $0.deposit(to: "EXCHANGE-FEES", amount: 1, reference: "x") } == "invalid-account")
        #expect(refusal(&ledger) { try $0.deposit(to: "EXCHANGE-CLEARING", amount: 1, reference: "x") } == "invalid-account")
        #expect(refusal(&ledger) { try $0.deposit(to: "", amount: 1, reference: "x") } == "invalid-account")
        #expect(refusal(&ledger) { try $0.deposit(to: "BUYER", amount: 1, reference: "") } == "invalid-reference")
        let long = String(repeating: "r", count: 129)
        #expect(refusal(&ledger) { try $0.deposit(to: "BUYER", amount: 1, reference: long) } == "invalid-reference")
        #expect(refusal(&ledger) { try $0.withdraw(from: "NOBODY", amount: 1, reference: "x") } == "unknown-account")
    }

    @Test func theMarketsFundsAreBounded() throws {
        var ledger = try FundsLedger()
        for index in 0..<250 {
            try ledger.deposit(to: "A", amount: Fen(FundsLedger.maxAmount), reference: "big-\(index)")
        }
        #expect(refusal(&ledger) {
            try $0.deposit(to: "B", amount: Fen(FundsLedger.maxAmount), reference: "one-too-many")
        } == "funds-limit-exceeded")
    }

    @Test func withdrawPaysOutToTheBank() throws {
        var ledger = try market()
        let entry = try ledger.withdraw(from: "BUYER", amount: 400_000, reference: "out-1")
        #expect(entry.kind == .withdraw && entry.debit == .bank("BUYER") && entry.credit == .available("BUYER"))
        #expect(ledger.balances(of: "BUYER").available == 600_000)
        #expect(ledger.balance(of: .bank("BUYER")) == -600_000)
        #expect(ledger.totals.withdrawn == 400_000)
        expectSound(ledger)
    }

    @Test func withdrawingMoreThanWithdrawableIsRefused() throws {
        var ledger = try market()
        #expect(refusal(&ledger) {
            try $0.withdraw(from: "BUYER", amount: 1_000_001, reference: "out")
        } == "insufficient-withdrawable-funds")
        try ledger.withdraw(from: "BUYER", amount: 1_000_000, reference: "out")
        #expect(ledger.balances(of: "BUYER").available == 0)
    }

    @Test func reservedFundsCannotBeWithdrawn() throws {
        var ledger = try market()
        try ledger.reserve(orderId: "B-1", account: "BUYER", quantity: 100, limitPrice: 5_000)
        #expect(ledger.balances(of: "BUYER").withdrawable == Fen(1_000_000 - 500_300))
        #expect(refusal(&ledger) { try $0.withdraw(from: "BUYER", amount: 500_000, reference: "out") }
            == "insufficient-withdrawable-funds")
    }
}
