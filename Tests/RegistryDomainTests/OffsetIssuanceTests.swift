import Testing
import RegistryDomain

/// Issuing certified offsets (CCER) into the holdings ledger: the double entry, the rules that
/// set it apart from allocation, and the issuance id that issues once.
@Suite struct OffsetIssuanceTests {
    /// A ledger with entities P (a plant, 1,000 CEA allocated) and I (an investor).
    private func ledger() throws -> HoldingsLedger {
        var ledger = HoldingsLedger(owners: ["P", "I"], tradingDay: nil)
        try ledger.issue(to: "P", .cea, quantity: 1_000, reference: "allocation:2020:pre")
        return ledger
    }

    /// The refusal of `body`, or nil if it succeeded.
    private func refusal(_ body: () throws -> Void) -> RegistryRefusal? {
        do { try body(); return nil } catch { return error as? RegistryRefusal }
    }

    @Test func offsetsMoveFromTheIssuanceAccountIntoTheHolding() throws {
        var ledger = try ledger()
        let entry = try ledger.issueOffsets(to: "P", quantity: 5_000, issuanceId: "CCER-2021-0001")
        #expect(entry.kind == .issue && entry.debit == .available("P", .ccer) && entry.credit == .issuance(.ccer))
        #expect(entry.reference == "offsets:CCER-2021-0001")
        #expect(ledger.holding(of: "P", .ccer) == Holding(held: 5_000))
        #expect(ledger.balance(of: .issuance(.ccer)) == -5_000)
        let totals = ledger.totals(of: .ccer)
        #expect(totals.issued == 5_000 && totals.held == 5_000 && totals.isBalanced)
        // Allowances are a separate instrument: untouched.
        #expect(ledger.holding(of: "P", .cea) == Holding(held: 1_000))
        #expect(ledger.invariantViolations.isEmpty)
    }

    @Test func theSameIssuanceIdIssuesOnceAndTheRepeatChangesNothing() throws {
        var ledger = try ledger()
        try ledger.issueOffsets(to: "P", quantity: 5_000, issuanceId: "CCER-2021-0001")
        let before = ledger
        let repeated = refusal { try ledger.issueOffsets(to: "P", quantity: 7, issuanceId: "CCER-2021-0001") }
        #expect(repeated?.code == RefusalCode.duplicateReference)
        #expect(repeated?.reason.contains("CCER-2021-0001") == true)
        #expect(ledger == before)
        #expect(ledger.hasIssuedOffsets("CCER-2021-0001", to: "P"))
        #expect(!ledger.hasIssuedOffsets("CCER-2021-0001", to: "I"))
    }

    @Test func anIssuanceIdNeverCollidesWithTheRegistrysOwnReferences() throws {
        var ledger = try ledger()
        // The allocation's reference, used as an outside issuance id, is a different reference.
        try ledger.issueOffsets(to: "P", quantity: 1, issuanceId: "allocation:2020:pre")
        #expect(refusal { try ledger.issue(to: "P", .ccer, quantity: 1, reference: "allocation:2020:pre") } == nil)
    }

    @Test func anyRegisteredEntityMayReceiveOffsetsButNotAnUnknownOne() throws {
        var ledger = try ledger()
        try ledger.issueOffsets(to: "I", quantity: 10, issuanceId: "CCER-2021-0002")
        #expect(ledger.holding(of: "I", .ccer).held == 10)
        #expect(refusal { try ledger.issueOffsets(to: "X", quantity: 10, issuanceId: "CCER-2021-0003") }?.code
                == RefusalCode.unknownAccount)
    }

    @Test(arguments: [Instrument.cea, "CEA-2025", "VCS"])
    func onlyCCERIsIssuedAsOffsets(_ instrument: Instrument) throws {
        var ledger = try ledger()
        let before = ledger
        #expect(refusal { try ledger.issueOffsets(to: "P", instrument, quantity: 10, issuanceId: "r-1") }?.code
                == RefusalCode.invalidInstrument)
        #expect(ledger == before)
    }

    @Test(arguments: [0, -1, HoldingsLedger.maxQuantity + 1])
    func refusesQuantitiesOutOfRange(_ quantity: Int) throws {
        var ledger = try ledger()
        #expect(refusal { try ledger.issueOffsets(to: "P", quantity: quantity, issuanceId: "r-1") }?.code
                == RefusalCode.invalidQuantity)
        // A refused issuance does not use up its id.
        try ledger.issueOffsets(to: "P", quantity: 1, issuanceId: "r-1")
    }

    @Test func anEmptyIssuanceIdIsRefused() throws {
        var ledger = try ledger()
        #expect(refusal { try ledger.issueOffsets(to: "P", quantity: 1, issuanceId: "") }?.code == RefusalCode.invalidReference)
    }

    @Test func issuedOffsetsCanBeSurrenderedAndTheLedgerStillBalances() throws {
        var ledger = try ledger()
        try ledger.issueOffsets(to: "P", quantity: 500, issuanceId: "CCER-2021-0001")
        try ledger.surrender(from: "P", .ccer, quantity: 300, reference: "surrender:2020:1")
        let totals = ledger.totals(of: .ccer)
        #expect(totals.issued == 500 && totals.held == 200 && totals.retired == 300 && totals.isBalanced)
        #expect(ledger.retired(by: "P", .ccer) == 300)
    }

    /// Property: however often and in whatever order issuance ids are sent, each (owner, id)
    /// credits exactly once, with the quantity of its first accepted command, and a replay of
    /// the journal rebuilds the same ledger.
    @Test func eachIssuanceIdCreditsOncePerOwnerWhateverTheOrder() throws {
        for seed in 0..<UInt64(300) {
            var random = SplitMix64(seed: seed)
            var ledger = HoldingsLedger(owners: ["A", "B", "C"], tradingDay: nil)
            var journal: [JournalEntry] = []
            var firstQuantity: [String: Int] = [:]
            for _ in 0..<80 {
                let owner = ["A", "B", "C"][Int(random.next(upperBound: UInt64(3)))]
                let id = "CCER-\(random.next(upperBound: UInt64(12)))"
                let quantity = Int(random.next(upperBound: UInt64(1_000))) + 1
                let before = ledger
                do throws(RegistryRefusal) {
                    journal.append(try ledger.issueOffsets(to: owner, quantity: quantity, issuanceId: id))
                    #expect(firstQuantity["\(owner)/\(id)"] == nil, "seed \(seed): \(owner) \(id) issued twice")
                    firstQuantity["\(owner)/\(id)"] = quantity
                } catch {
                    #expect(error.code == RefusalCode.duplicateReference && ledger == before, "seed \(seed)")
                }
            }
            for owner in ["A", "B", "C"] {
                let expected = firstQuantity.filter { $0.key.hasPrefix("\(owner)/") }.values.reduce(0, +)
                #expect(ledger.holding(of: owner, .ccer).held == expected, "seed \(seed) \(owner)")
            }
            #expect(ledger.invariantViolations.isEmpty, "seed \(seed)")
            #expect(try HoldingsLedger(owners: ["A", "B", "C"], tradingDay: nil, replaying: journal) == ledger, "seed \(seed)")
        }
    }
}
