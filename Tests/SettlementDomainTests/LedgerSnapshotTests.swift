import BinaryCoding
import Foundation
import Testing
import SettlementDomain

/// A snapshot plus the journal after it rebuilds exactly the ledger the whole journal does, on
/// any later trading day, and a snapshot whose parts disagree is refused.
@Suite struct LedgerSnapshotTests {
    @Test func aSnapshotAndTheJournalAfterItRebuildTheLedgerAtEveryPoint() throws {
        var restores = 0
        for seed in UInt64(0)..<300 {
            var run = try RandomRun(seed: 10_000 + seed)
            var taken: [(snapshot: LedgerSnapshot, entries: Int)] = [(try FundsLedger(rules: run.rules).snapshot(), 0)]
            for _ in 0..<6 {
                try run.play(steps: 10)
                taken.append((run.books.ledger.snapshot(), run.books.journal.count))
            }
            let final = run.books.ledger
            for (snapshot, entries) in taken {
                // Through the stored form, as the service keeps it.
                let stored = try LedgerSnapshot(decoding: snapshot.encoded())
                #expect(stored == snapshot, "seed \(seed)")
                let restored = try FundsLedger(rules: run.rules, tradingDay: final.tradingDay, restoring: stored,
                                               replaying: run.books.journal.dropFirst(entries))
                #expect(restored == final, "seed \(seed): restored from the snapshot after \(entries) entries")
                #expect(restored.snapshot() == final.snapshot(), "seed \(seed)")
                restores += 1
            }
        }
        #expect(restores == 300 * 7)
    }

    @Test func aSnapshotRestoredOnALaterDayFreesItsProceedsAsReplayDoes() throws {
        let books = try twoDays()
        var dayOne = Books(try FundsLedger(tradingDay: day1), journal: [])
        for entry in books.journal where entry.tradingDay == day1 { try dayOne.ledger.apply(entry); dayOne.journal.append(entry) }
        #expect(dayOne.ledger.balances(of: "SELLER").proceedsToday > .zero)
        let snapshot = dayOne.ledger.snapshot()
        let restored = try FundsLedger(rules: .standard, tradingDay: day2, restoring: snapshot,
                                       replaying: books.journal.dropFirst(dayOne.journal.count))
        #expect(restored == books.ledger)
        #expect(restored == (try FundsLedger(tradingDay: day2, replaying: books.journal)))
        #expect(restored.tradingDay == day2)
    }

    @Test func aSnapshotOfALaterDayThanTheStoresIsRefused() throws {
        let books = try twoDays()
        let snapshot = books.ledger.snapshot()
        #expect(restoreCode(snapshot, day: day1) == "invalid-snapshot")
        #expect(restoreCode(snapshot, day: nil) == "invalid-snapshot")
        #expect(restoreCode(snapshot, day: day2) == nil)
    }

    @Test func aTailThatDoesNotFollowTheSnapshotIsRefused() throws {
        let books = try twoDays()
        let early = try FundsLedger(tradingDay: day1, replaying: books.journal.prefix(3)).snapshot()
        // The tail skips an entry: its first sequence is not the snapshot's next.
        #expect(restoreCode(early, day: day2, tail: Array(books.journal.dropFirst(4))) == "invalid-journal")
        // The tail repeats an entry the snapshot already holds.
        #expect(restoreCode(early, day: day2, tail: Array(books.journal.dropFirst(2))) == "invalid-journal")
        #expect(restoreCode(early, day: day2, tail: Array(books.journal.dropFirst(3))) == nil)
    }

    @Test func aSnapshotWhosePartsDisagreeIsRefused() throws {
        let good = try twoDays().ledger.snapshot()
        #expect(restoreCode(good, day: day2) == nil)
        var damaged: [String: LedgerSnapshot] = [:]

        var format = good; format.format = 99
        damaged["another format"] = format
        var repeated = good; repeated.balances.append(good.balances[0])
        damaged["an account listed twice"] = repeated
        var zero = good; zero.balances[0].amount = .zero
        damaged["a balance kept at zero"] = zero
        var shifted = good; shifted.balances[1].amount += 1
        damaged["debits and credits apart"] = shifted
        var orphan = good
        orphan.reservations.removeAll { reservation in
            good.balances.contains { $0.account.kind == .reserved && $0.account.orderId == reservation.orderId }
        }
        damaged["a reserved account without its reservation"] = orphan
        var totals = good
        for index in totals.reservedTotals.indices { totals.reservedTotals[index].amount += 1 }
        damaged["reserved totals apart from the reserved accounts"] = totals
        var stranger = good; stranger.participants.removeAll { $0 == "BUYER" }
        damaged["a participant account of nobody known"] = stranger
        var fees = good; fees.totals.feesCharged += 1
        damaged["fees apart from the fee account"] = fees
        var overfilled = good; overfilled.reservations[0].filled = overfilled.reservations[0].terms.quantity + 1
        damaged["a reservation filled beyond its quantity"] = overfilled
        var trades = good; trades.settledTrades.append(good.settledTrades[0])
        damaged["a trade listed twice"] = trades
        var references = good; references.references.append(good.references[0])
        damaged["a bank reference listed twice"] = references
        var exchange = good
        let feeAccount = try #require(exchange.balances.firstIndex { $0.account.kind == .fees })
        exchange.balances[feeAccount].account = FundsAccount(kind: .fees, owner: "ANOTHER-EXCHANGE")
        damaged["another exchange's fee account"] = exchange

        for (what, snapshot) in damaged {
            #expect(restoreCode(snapshot, day: day2) == "invalid-snapshot", "\(what)")
        }
    }

    @Test func equalLedgersGiveEqualSnapshotBytes() throws {
        let books = try twoDays()
        let replayed = try FundsLedger(tradingDay: day2, replaying: books.journal)
        #expect(replayed.snapshot().encoded() == books.ledger.snapshot().encoded())
    }

    @Test func damagedBytesAreRefusedNotTrusted() throws {
        let bytes = try twoDays().ledger.snapshot().encoded()
        #expect(decodeCode(bytes) == nil)
        // Every truncation, and a byte too many.
        for length in 0..<bytes.count { #expect(decodeCode(Array(bytes.prefix(length))) == "invalid-snapshot", "\(length)") }
        #expect(decodeCode(bytes + [0]) == "invalid-snapshot")
        var format = bytes; format[3] = 2
        #expect(decodeCode(format) == "invalid-snapshot")
        var mark = bytes; mark[0] = UInt8(ascii: "X")
        #expect(decodeCode(mark) == "invalid-snapshot")
        // Random damage never crashes: it is refused, or it decodes to a snapshot the ledger checks.
        var random = SplitMix64(seed: 7)
        var refused = 0
        for _ in 0..<2_000 {
            var damaged = bytes
            for _ in 0...random.roll(3) { damaged[random.roll(damaged.count)] = UInt8(truncatingIfNeeded: random.next()) }
            if decodeCode(damaged) != nil { refused += 1; continue }
            if let snapshot = try? LedgerSnapshot(decoding: damaged), snapshot != (try LedgerSnapshot(decoding: bytes)) {
                if restoreCode(snapshot, day: day2) != nil { refused += 1 }
            }
        }
        #expect(refused > 1_000)
    }

    @Test func aHugeCountIsRefusedBeforeAnythingIsReserved() {
        // The mark, format 1, sequence 0, no day, zero totals, then a balance count of 2^62, sealed.
        var writer = BinaryWriter()
        writer.raw(Array("ELS".utf8) + [1, 0, 0, 0, 0, 0])
        writer.unsigned(1 << 62)
        #expect(decodeCode(writer.sealed()) == "invalid-snapshot")
    }

    @Test func aFlippedByteInsideAnIdIsCaughtByTheChecksum() throws {
        let snapshot = try twoDays().ledger.snapshot()
        var bytes = snapshot.encoded()
        // "T1" -> "T2": a valid-looking trade id; only the checksum tells.
        let id = Array("T1".utf8)
        let at = try #require((0..<(bytes.count - 1)).first { bytes[$0] == id[0] && bytes[$0 + 1] == id[1] })
        bytes[at + 1] = UInt8(ascii: "2")
        #expect(decodeCode(bytes) == "invalid-snapshot")
    }

    @Test func absurdNumbersAreRefusedNotTrappedOn() throws {
        let good = try twoDays().ledger.snapshot()
        var cases: [String: LedgerSnapshot] = [:]
        var price = good; price.reservations[0].terms.limitPrice = Fen(Int64.max)
        cases["a limit price whose fee overflows"] = price
        var balance = good; balance.balances[0].amount = Fen(Int64.max)
        cases["a balance at Int64.max"] = balance
        var lowest = good; lowest.balances[0].amount = Fen(Int64.min)
        cases["a balance at Int64.min"] = lowest
        var withdrawn = good; withdrawn.totals.withdrawn = Fen(Int64.max)
        cases["withdrawals at Int64.max"] = withdrawn
        var reserved = good; reserved.reservedTotals[0].amount = Fen(Int64.min)
        cases["a reserved total at Int64.min"] = reserved
        var many = good
        for index in 0..<5 {
            var extra = good.balances[0]
            extra.account = .bank(AccountID("X\(index)"))
            extra.amount = Fen(-FundsLedger.maxOutstanding)
            many.balances.append(extra)
        }
        cases["balances that add up past Int64.max"] = many
        var filled = good; filled.reservations[0].filled = Tonnes(-1)
        cases["a negative fill"] = filled
        for (what, snapshot) in cases {
            #expect(restoreCode(snapshot, day: day2) == "invalid-snapshot", "\(what)")
        }
    }

    private func decodeCode(_ bytes: [UInt8]) -> String? {
        do {
            _ = try LedgerSnapshot(decoding: bytes)
            return nil
        } catch {
            return error.code
        }
    }

    private func restoreCode(_ snapshot: LedgerSnapshot, day: TradingDay?, tail: [FundsEntry] = []) -> String? {
        do {
            _ = try FundsLedger(rules: .standard, tradingDay: day, restoring: snapshot, replaying: tail)
            return nil
        } catch {
            return error.code
        }
    }
}
