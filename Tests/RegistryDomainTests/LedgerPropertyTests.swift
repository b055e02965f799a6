import Testing
import RegistryDomain

/// Random sequences of ledger operations across a few entities must never break the
/// registry's invariants, and a refused operation must leave the ledger exactly as it was.
@Suite struct LedgerPropertyTests {
    static let owners = ["A", "B", "C"]
    static let instruments: [Instrument] = [.cea, .ccer, "CEA-2025"]
    static let sequences = 2_000
    static let operationsPerSequence = 60

    /// One random run; returns the journal and the ledger, or records issues.
    private func run(seed: UInt64, successes: inout [EntryKind: Int],
                     afterStep: (Int, HoldingsLedger, [JournalEntry]) -> Void = { _, _, _ in }) throws
        -> (HoldingsLedger, [JournalEntry]) {
        var random = SplitMix64(seed: seed)
        var ledger = HoldingsLedger(owners: Self.owners, tradingDay: CalendarDay(year: 2021, month: 7, day: 16))
        var journal: [JournalEntry] = []
        var dayOffset = 0
        for step in 0..<Self.operationsPerSequence {
            let before = ledger
            do {
                if let entry = try randomOperation(on: &ledger, journal: journal, random: &random, dayOffset: &dayOffset) {
                    #expect(entry.sequence == journal.count + 1, "seed \(seed) step \(step)")
                    journal.append(entry)
                    successes[entry.kind, default: 0] += 1
                }
            } catch let refusal as RegistryRefusal {
                #expect(ledger == before, "seed \(seed) step \(step): refused \(refusal) but changed the ledger")
            }
            try checkInvariants(ledger, seed: seed, step: step)
            afterStep(step, ledger, journal)
        }
        return (ledger, journal)
    }

    private func randomOperation(on ledger: inout HoldingsLedger, journal: [JournalEntry], random: inout SplitMix64,
                                 dayOffset: inout Int) throws -> JournalEntry? {
        func roll(_ sides: Int) -> Int { Int(random.next(upperBound: UInt64(sides))) }
        func owner() -> String { (Self.owners + ["X"])[roll(4)] }
        func quantity() -> Int { roll(20) == 0 ? -roll(3) : 1 + roll(300) }
        func id(_ prefix: String, _ pool: Int) -> String { "\(prefix)\(roll(pool))" }
        /// Usually an order that has a hold, sometimes any order id.
        func heldOrder() -> String {
            let frozen = journal.filter { $0.kind == .freeze }.compactMap(\.orderId)
            return frozen.isEmpty || roll(5) == 0 ? id("O", 40) : frozen[roll(frozen.count)]
        }
        /// Usually within what the hold has left, sometimes anything.
        func plausible(_ hold: Hold?) -> Int {
            guard let hold, hold.remaining > 0, roll(5) != 0 else { return quantity() }
            return 1 + roll(hold.remaining)
        }
        let instrument: Instrument = roll(50) == 0 ? "not valid" : [.cea, .cea, .ccer, "CEA-2025"][roll(4)]
        switch roll(106) {
        case 0..<15:
            return try ledger.issue(to: owner(), instrument, quantity: quantity() * 3, reference: id("R", 30))
        case 15..<20:
            return try ledger.clawBack(from: owner(), instrument, quantity: quantity(), reference: id("R", 30))
        case 20..<45:
            return try ledger.freeze(orderId: id("O", 40), owner: owner(), instrument, quantity: quantity())
        case 45..<52:
            let orderId = heldOrder()
            return try ledger.unfreeze(orderId: orderId, quantity: plausible(ledger.hold(for: orderId)))
        case 52..<56:
            return try ledger.releaseHold(orderId: heldOrder())
        case 56..<82:
            // Mostly the hold's real seller, instrument and a fitting quantity; sometimes not.
            let orderId = heldOrder()
            let hold = ledger.hold(for: orderId)
            let seller = roll(10) == 0 ? owner() : hold?.owner ?? owner()
            let traded = roll(10) == 0 ? instrument : hold?.instrument ?? instrument
            return try ledger.transfer(tradeId: id("T", 200), sellOrderId: orderId, from: seller, to: owner(),
                                       traded, quantity: plausible(hold))
        case 82..<92:
            return try ledger.surrender(from: owner(), instrument, quantity: quantity(), reference: id("S", 30))
        case 100..<106:
            // Offsets: usually CCER, sometimes an instrument they must refuse.
            return try ledger.issueOffsets(to: owner(), roll(4) == 0 ? instrument : .ccer, quantity: quantity() * 3,
                                           issuanceId: id("I", 30))
        default:
            // Usually the same or a later day; sometimes a stale one, which must be refused.
            dayOffset = min(dayOffset + roll(3), 30)
            let day = roll(8) == 0 ? CalendarDay(year: 2021, month: 7, day: 1) : CalendarDay(year: 2021, month: 8, day: 1 + dayOffset)
            if let day { try ledger.startTradingDay(day) }
            return nil
        }
    }

    private func checkInvariants(_ ledger: HoldingsLedger, seed: UInt64, step: Int) throws {
        let violations = ledger.invariantViolations
        #expect(violations.isEmpty, "seed \(seed) step \(step): \(violations)")
        for owner in Self.owners {
            for instrument in Self.instruments {
                let holding = ledger.holding(of: owner, instrument)
                #expect(holding.frozen >= 0 && holding.frozen <= holding.held && holding.acquiredToday >= 0,
                        "seed \(seed) step \(step): \(owner) \(instrument) \(holding)")
                #expect(ledger.retired(by: owner, instrument) >= 0)
            }
        }
        if !violations.isEmpty { throw CancellationError() }
    }

    /// Conservation recomputed from the journal alone, independently of the ledger's own totals.
    private func checkJournalConservation(_ journal: [JournalEntry], _ ledger: HoldingsLedger, seed: UInt64) {
        for instrument in Self.instruments {
            let entries = journal.filter { $0.debit.instrument == instrument }
            let issued = entries.filter { $0.kind == .issue }.reduce(0) { $0 + $1.quantity }
            let clawed = entries.filter { $0.kind == .clawback }.reduce(0) { $0 + $1.quantity }
            let retired = entries.filter { $0.kind == .surrender }.reduce(0) { $0 + $1.quantity }
            let held = Self.owners.reduce(0) { $0 + ledger.holding(of: $1, instrument).held }
            #expect(held + retired == issued - clawed, "seed \(seed) \(instrument)")
        }
    }

    @Test func randomOperationSequencesKeepEveryInvariant() throws {
        var successes: [EntryKind: Int] = [:]
        for seed in 0..<UInt64(Self.sequences) {
            let (ledger, journal) = try run(seed: seed, successes: &successes)
            checkJournalConservation(journal, ledger, seed: seed)
            let rebuilt = try HoldingsLedger(owners: Self.owners, tradingDay: ledger.tradingDay, replaying: journal)
            #expect(rebuilt == ledger, "seed \(seed): replay differs")
        }
        // The generator must actually exercise every kind of movement, not just refusals.
        for kind in EntryKind.allCases {
            #expect(successes[kind, default: 0] > 1_000, "\(kind) succeeded only \(successes[kind, default: 0]) times")
        }
    }

    /// A snapshot taken at any step, through its stored bytes, plus the journal after it rebuilds
    /// the final ledger, as the service restores it after a restart.
    @Test func aSnapshotAndTheJournalAfterItRebuildTheLedgerAtEveryPoint() throws {
        var successes: [EntryKind: Int] = [:]
        var restores = 0
        for seed in 0..<UInt64(300) {
            var taken: [(snapshot: HoldingsLedgerSnapshot, entries: Int)] = [(HoldingsLedger().snapshot(), 0)]
            let (ledger, journal) = try run(seed: 50_000 + seed, successes: &successes) { step, ledger, journal in
                if step % 10 == 9 { taken.append((ledger.snapshot(), journal.count)) }
            }
            for (snapshot, entries) in taken {
                let stored = try HoldingsLedgerSnapshot(decoding: snapshot.encoded())
                #expect(stored == snapshot, "seed \(seed)")
                let restored = try HoldingsLedger(owners: Self.owners, tradingDay: ledger.tradingDay, restoring: stored,
                                                  replaying: journal.dropFirst(entries))
                #expect(restored == ledger, "seed \(seed): restored from the snapshot after \(entries) entries")
                restores += 1
            }
        }
        #expect(restores == 300 * 7)
    }
}
