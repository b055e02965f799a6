import Testing
import RegistryDomain

/// The ledger's operations one behaviour at a time; `LedgerPropertyTests` covers sequences.
@Suite struct HoldingsLedgerTests {
    let day1 = CalendarDay(year: 2021, month: 7, day: 16)!
    let day2 = CalendarDay(year: 2021, month: 7, day: 19)!

    /// A ledger with entities S (seller, 1,000 CEA issued) and B (buyer), trading day 1 started.
    private func ledger() throws -> HoldingsLedger {
        var ledger = HoldingsLedger(owners: ["S", "B"], tradingDay: day1)
        try ledger.issue(to: "S", .cea, quantity: 1_000, reference: "alloc-2020-pre")
        return ledger
    }

    /// The refusal code of `body`, or nil if it succeeded.
    private func refusal(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return (error as? RegistryRefusal)?.code ?? "not a refusal: \(error)" }
    }

    @Test func issueCreditsTheEntityFromTheIssuanceAccount() throws {
        let ledger = try ledger()
        #expect(ledger.holding(of: "S", .cea) == Holding(held: 1_000))
        #expect(ledger.balance(of: .issuance(.cea)) == -1_000)
        #expect(ledger.totals(of: .cea).issued == 1_000)
    }

    @Test func issueToAnUnknownAccountIsRefused() throws {
        var ledger = try ledger()
        #expect(refusal { try ledger.issue(to: "X", .cea, quantity: 1, reference: "r") } == "unknown-account")
    }

    @Test func issuingTheSameReferenceTwiceIsRefused() throws {
        var ledger = try ledger()
        #expect(refusal { try ledger.issue(to: "S", .cea, quantity: 1, reference: "alloc-2020-pre") } == "duplicate-reference")
        // The same reference may issue to another entity (one command allocates to many).
        try ledger.issue(to: "B", .cea, quantity: 1, reference: "alloc-2020-pre")
    }

    @Test(arguments: [0, -5, HoldingsLedger.maxQuantity + 1])
    func refusesQuantitiesOutOfRange(_ quantity: Int) throws {
        var ledger = try ledger()
        #expect(refusal { try ledger.issue(to: "S", .cea, quantity: quantity, reference: "r") } == "invalid-quantity")
    }

    @Test func freezeMovesSellableToFrozen() throws {
        var ledger = try ledger()
        let entry = try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 400)
        #expect(entry.kind == .freeze && entry.debit == .frozen("S", .cea) && entry.credit == .available("S", .cea))
        #expect(ledger.holding(of: "S", .cea) == Holding(held: 1_000, frozen: 400))
        #expect(ledger.holding(of: "S", .cea).sellable == 600)
    }

    @Test func freezeBeyondSellableIsRefused() throws {
        var ledger = try ledger()
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 700)
        #expect(refusal { try ledger.freeze(orderId: "O2", owner: "S", .cea, quantity: 301) } == "insufficient-sellable-allowances")
    }

    @Test func freezingTheSameOrderTwiceIsRefused() throws {
        var ledger = try ledger()
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 1)
        #expect(refusal { try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 1) } == "duplicate-hold")
    }

    @Test func transferMovesFromTheSellersHoldToTheBuyer() throws {
        var ledger = try ledger()
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 400)
        let entry = try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "S", to: "B", .cea, quantity: 150)
        #expect(entry.tradingDay == day1)
        #expect(ledger.holding(of: "S", .cea) == Holding(held: 850, frozen: 250))
        #expect(ledger.holding(of: "B", .cea) == Holding(held: 150, acquiredToday: 150))
        #expect(ledger.hold(for: "O1")?.remaining == 250)
    }

    @Test func allowancesBoughtTodayAreSellableOnlyNextTradingDay() throws {
        var ledger = try ledger()
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 100)
        try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "S", to: "B", .cea, quantity: 100)
        #expect(ledger.holding(of: "B", .cea).sellable == 0)
        #expect(refusal { try ledger.freeze(orderId: "O2", owner: "B", .cea, quantity: 1) } == "insufficient-sellable-allowances")
        try ledger.startTradingDay(day2)
        #expect(ledger.holding(of: "B", .cea).sellable == 100)
        try ledger.freeze(orderId: "O2", owner: "B", .cea, quantity: 100)
    }

    @Test func transferringTheSameTradeTwiceIsRefused() throws {
        var ledger = try ledger()
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 400)
        try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "S", to: "B", .cea, quantity: 100)
        #expect(refusal {
            try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "S", to: "B", .cea, quantity: 100)
        } == "duplicate-trade")
    }

    @Test func transferBeyondTheHoldIsRefused() throws {
        var ledger = try ledger()
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 100)
        #expect(refusal { try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "S", to: "B", .cea, quantity: 101) } == "exceeds-hold")
    }

    @Test func transferFromAnotherSellersHoldIsRefused() throws {
        var ledger = try ledger()
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 100)
        #expect(refusal { try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "B", to: "S", .cea, quantity: 1) } == "hold-mismatch")
        #expect(refusal { try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "S", to: "B", .ccer, quantity: 1) } == "hold-mismatch")
        #expect(refusal { try ledger.transfer(tradeId: "T1", sellOrderId: "O9", from: "S", to: "B", .cea, quantity: 1) } == "unknown-hold")
        #expect(refusal { try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "S", to: "X", .cea, quantity: 1) } == "unknown-account")
    }

    @Test func unfreezeReleasesAtMostWhatRemainsFrozen() throws {
        var ledger = try ledger()
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 100)
        try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "S", to: "B", .cea, quantity: 60)
        #expect(refusal { try ledger.unfreeze(orderId: "O1", quantity: 41) } == "exceeds-hold")
        try ledger.unfreeze(orderId: "O1", quantity: 40)
        #expect(ledger.holding(of: "S", .cea) == Holding(held: 940))
        #expect(refusal { try ledger.unfreeze(orderId: "O9", quantity: 1) } == "unknown-hold")
    }

    @Test func releaseHoldReleasesTheRemainderOrNothing() throws {
        var ledger = try ledger()
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 100)
        #expect(try ledger.releaseHold(orderId: "O1")?.quantity == 100)
        #expect(try ledger.releaseHold(orderId: "O1") == nil)
    }

    @Test func surrenderRetiresUnfrozenAllowances() throws {
        var ledger = try ledger()
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 300)
        #expect(refusal { try ledger.surrender(from: "S", .cea, quantity: 701, reference: "c1") } == "insufficient-allowances")
        try ledger.surrender(from: "S", .cea, quantity: 700, reference: "c1")
        #expect(ledger.retired(by: "S", .cea) == 700)
        #expect(ledger.holding(of: "S", .cea) == Holding(held: 300, frozen: 300))
        #expect(ledger.totals(of: .cea).isBalanced)
    }

    @Test func clawBackReducesCirculation() throws {
        var ledger = try ledger()
        try ledger.clawBack(from: "S", .cea, quantity: 200, reference: "trueup-2020")
        #expect(ledger.holding(of: "S", .cea).held == 800)
        #expect(ledger.totals(of: .cea) == LedgerTotals(instrument: .cea, issued: 1_000, clawedBack: 200,
                                                        held: 800, frozen: 0, retired: 0))
        #expect(refusal { try ledger.clawBack(from: "S", .cea, quantity: 801, reference: "x") } == "insufficient-allowances")
    }

    @Test func instrumentsAreKeptApart() throws {
        var ledger = try ledger()
        try ledger.issue(to: "S", .ccer, quantity: 10, reference: "ccer-1")
        #expect(refusal { try ledger.freeze(orderId: "O1", owner: "S", .ccer, quantity: 11) } == "insufficient-sellable-allowances")
        #expect(ledger.holding(of: "S", .cea).held == 1_000)
    }

    @Test func tradingDaysOnlyMoveForward() throws {
        var ledger = try ledger()
        #expect(try ledger.startTradingDay(day1) == false)
        #expect(try ledger.startTradingDay(day2) == true)
        #expect(refusal { try ledger.startTradingDay(day1) } == "stale-trading-day")
    }

    @Test func replayingTheJournalRebuildsTheLedger() throws {
        var ledger = HoldingsLedger(owners: ["S", "B", "Idle"], tradingDay: day1)
        var journal: [JournalEntry] = []
        journal.append(try ledger.issue(to: "S", .cea, quantity: 1_000, reference: "a"))
        journal.append(try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 500))
        journal.append(try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "S", to: "B", .cea, quantity: 200))
        journal.append(try ledger.surrender(from: "S", .cea, quantity: 100, reference: "s1"))
        let rebuilt = try HoldingsLedger(owners: ["Idle"], tradingDay: day1, replaying: journal)
        #expect(rebuilt == ledger)
        #expect(journal.map(\.sequence) == [1, 2, 3, 4])
    }

    @Test func replayRefusesAGapInTheJournal() throws {
        var ledger = HoldingsLedger(owners: ["S"])
        let first = try ledger.issue(to: "S", .cea, quantity: 1, reference: "a")
        var second = try ledger.issue(to: "S", .cea, quantity: 1, reference: "b")
        second.sequence = 3
        #expect(throws: RegistryRefusal.self) { try HoldingsLedger(tradingDay: nil, replaying: [first, second]) }
    }

    @Test func applyRefusesAnEntryWithTheWrongAccountRoles() throws {
        var ledger = try ledger()
        let forged = JournalEntry(sequence: 2, kind: .issue, debit: .available("B", .cea), credit: .available("S", .cea),
                                  quantity: 10, reference: "forged")
        #expect(refusal { try ledger.apply(forged) } == "invalid-journal")
    }
}

@Suite struct InstrumentTests {
    @Test func newListingsAreKeptApartFromCEA() throws {
        var ledger = HoldingsLedger(owners: ["S"])
        try ledger.issue(to: "S", "CEA-2025", quantity: 5, reference: "vintage")
        #expect(ledger.holding(of: "S", "CEA-2025").held == 5)
        #expect(ledger.holding(of: "S", .cea).held == 0)
        #expect(ledger.instruments == ["CEA-2025"])
    }

    @Test func malformedInstrumentsAreRefused() {
        var ledger = HoldingsLedger(owners: ["S"])
        #expect(throws: RegistryRefusal.self) { try ledger.issue(to: "S", "cea", quantity: 5, reference: "r") }
        #expect(throws: RegistryRefusal.self) { try ledger.issue(to: "S", "", quantity: 5, reference: "r") }
    }
}
