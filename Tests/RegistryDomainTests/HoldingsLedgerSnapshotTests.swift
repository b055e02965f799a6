import Testing
import RegistryDomain

/// A snapshot of the holdings ledger is refused, not trusted, when its parts disagree or its
/// bytes are damaged; `LedgerPropertyTests` checks that a sound one rebuilds the ledger.
@Suite struct HoldingsLedgerSnapshotTests {
    let day1 = CalendarDay(year: 2021, month: 7, day: 16)!
    let day2 = CalendarDay(year: 2021, month: 7, day: 19)!

    /// S sold 300 of 1,000 CEA to B on day 1 and holds 200 more for an open sell order; B surrendered 50.
    private func ledger() throws -> HoldingsLedger {
        var ledger = HoldingsLedger(owners: ["S", "B"], tradingDay: day1)
        try ledger.issue(to: "S", .cea, quantity: 1_000, reference: "alloc-2020-pre")
        try ledger.freeze(orderId: "O1", owner: "S", .cea, quantity: 300)
        try ledger.transfer(tradeId: "T1", sellOrderId: "O1", from: "S", to: "B", .cea, quantity: 300)
        try ledger.freeze(orderId: "O2", owner: "S", .cea, quantity: 200)
        try ledger.surrender(from: "B", .cea, quantity: 50, reference: "2020")
        return ledger
    }

    private func restoreCode(_ snapshot: HoldingsLedgerSnapshot, day: CalendarDay?) -> String? {
        do {
            _ = try HoldingsLedger(owners: ["S", "B"], tradingDay: day, restoring: snapshot, replaying: [JournalEntry]())
            return nil
        } catch {
            return error.code
        }
    }

    @Test func aSnapshotRestoredOnALaterDayMakesWhatWasBoughtSellableAsReplayDoes() throws {
        var ledger = try ledger()
        let snapshot = ledger.snapshot()
        let restored = try HoldingsLedger(owners: ["S", "B"], tradingDay: day2, restoring: snapshot, replaying: [JournalEntry]())
        try ledger.startTradingDay(day2)
        #expect(restored == ledger)
        #expect(restored.holding(of: "B", .cea).acquiredToday == 0)
        #expect(restoreCode(snapshot, day: day1) == nil)
    }

    @Test func aSnapshotOfALaterDayThanTheStoresIsRefused() throws {
        var ledger = try ledger()
        try ledger.startTradingDay(day2)
        #expect(restoreCode(ledger.snapshot(), day: day1) == "invalid-snapshot")
        #expect(restoreCode(ledger.snapshot(), day: nil) == "invalid-snapshot")
    }

    @Test func aSnapshotWhosePartsDisagreeIsRefused() throws {
        let good = try ledger().snapshot()
        #expect(restoreCode(good, day: day1) == nil)
        var damaged: [String: HoldingsLedgerSnapshot] = [:]
        var format = good; format.format = 2
        damaged["another format"] = format
        var repeated = good; repeated.balances.append(good.balances[0])
        damaged["an account listed twice"] = repeated
        var shifted = good
        let available = try #require(shifted.balances.firstIndex { $0.account.kind == .available && $0.account.owner == "S" })
        shifted.balances[available].quantity += 1
        damaged["held apart from issued"] = shifted
        var stranger = good; stranger.owners.removeAll { $0 == "B" }
        damaged["an account of nobody known"] = stranger
        var hold = good; hold.holds[1].remaining += 1
        damaged["frozen apart from the holds"] = hold
        var trades = good; trades.trades.append("T1")
        damaged["a trade listed twice"] = trades
        var references = good; references.references.append(good.references[0])
        damaged["a reference listed twice"] = references
        var issued = good; issued.issued[0].quantity += 5
        damaged["issued apart from the accounts"] = issued
        for (what, snapshot) in damaged {
            #expect(restoreCode(snapshot, day: day1) == "invalid-snapshot", "\(what)")
        }
    }

    @Test func absurdNumbersAreRefusedNotTrappedOn() throws {
        let good = try ledger().snapshot()
        var cases: [String: HoldingsLedgerSnapshot] = [:]
        var balance = good; balance.balances[0].quantity = Int.max
        cases["a balance at Int.max"] = balance
        var lowest = good; lowest.balances[0].quantity = Int.min
        cases["a balance at Int.min"] = lowest
        var remaining = good; remaining.holds[1].remaining = Int.max
        cases["a hold keeping Int.max"] = remaining
        var quantity = good; quantity.holds[1].quantity = Int.max
        cases["a hold of Int.max"] = quantity
        var issued = good; issued.issued[0].quantity = Int.max
        cases["issued at Int.max"] = issued
        var acquired = good; acquired.acquired[0].quantity = Int.min
        cases["acquired at Int.min"] = acquired
        for (what, snapshot) in cases {
            #expect(restoreCode(snapshot, day: day1) == "invalid-snapshot", "\(what)")
        }
    }

    @Test func damagedBytesAreRefused() throws {
        let bytes = try ledger().snapshot().encoded()
        func decodes(_ bytes: [UInt8]) -> Bool { (try? HoldingsLedgerSnapshot(decoding: bytes)) != nil }
        #expect(decodes(bytes))
        for length in 0..<bytes.count { #expect(!decodes(Array(bytes.prefix(length))), "\(length)") }
        #expect(!decodes(bytes + [0]))
        var format = bytes; format[3] = 9
        #expect(!decodes(format))
        // Random damage never crashes and, with the checksum, is always refused.
        var random = SplitMix64(seed: 11)
        for _ in 0..<2_000 {
            var damaged = bytes
            let at = Int(random.next(upperBound: UInt64(damaged.count)))
            let flip: UInt8 = UInt8(truncatingIfNeeded: random.next(upperBound: UInt64(255))) &+ 1
            damaged[at] ^= flip
            #expect(!decodes(damaged), "byte \(at)")
        }
    }
}
