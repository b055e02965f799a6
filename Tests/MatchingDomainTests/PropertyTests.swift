import BinaryCoding
import Foundation
import Testing
@testable import MatchingDomain

/// Thousands of random inputs (seeded): conservation of every order's quantity, a book never
/// crossed at rest, and replays (from scratch, and from a snapshot plus the tail) that give
/// identical outputs.
@Suite struct PropertyTests {
    static let seeds: [UInt64] = [1, 42, 20_260_716]

    @Test(arguments: seeds)
    func everyOrderEndsOnceAndItsQuantityIsConserved(seed: UInt64) throws {
        let run = RandomSession(seed: seed, steps: 5_000)
        var ledger: [OrderID: OrderLedger] = [:]
        for request in run.submitted { ledger[request.orderID] = OrderLedger(quantity: request.quantity.rawValue) }
        for output in run.outputs.joined() {
            switch output {
            case .trade(let trade):
                ledger[trade.buyOrderID]?.filled += trade.quantity.rawValue
                ledger[trade.sellOrderID]?.filled += trade.quantity.rawValue
            case .cancelled(let closed), .expired(let closed):
                ledger[closed.orderID]?.closed.append(closed.remainingQuantity.rawValue)
            case .rejected(let rejected):
                ledger[rejected.orderID]?.rejections += 1
            default:
                break
            }
        }
        #expect(ledger.count == run.submitted.count)
        for (id, entry) in ledger {
            let terminals = entry.closed.count + entry.rejections + (entry.filled == entry.quantity ? 1 : 0)
            #expect(terminals == 1, "order \(id) ended \(terminals) times: \(entry)")
            if entry.rejections == 1 { #expect(entry.filled == 0, "rejected order \(id) traded") }
            #expect(entry.filled + entry.closed.reduce(0, +) == entry.quantity || entry.rejections == 1,
                    "order \(id) does not add up: \(entry)")
        }
        // The run must exercise every way an order can end.
        let all = Array(run.outputs.joined())
        #expect(all.trades.count > 300)
        #expect(all.cancellations.count > 20)
        #expect(all.expiries.count > 20)
        #expect(all.rejections.contains { $0.code == .selfTrade })
        #expect(all.rejections.contains { $0.hold == .refused })
        #expect(all.trades.contains { $0.method == .block })
        #expect(all.trades.contains { $0.method == .auction })
    }

    @Test(arguments: seeds)
    func bookIsNeverCrossedAtRestAndStaysConsistent(seed: UInt64) {
        let run = RandomSession(seed: seed, steps: 5_000, checkBookAfterEachInput: true)
        #expect(run.bookProblems == [])
    }

    @Test(arguments: seeds)
    func replayFromScratchGivesIdenticalOutputs(seed: UInt64) {
        let run = RandomSession(seed: seed, steps: 5_000)
        var engine = MatchingEngine()
        let replayed = run.inputs.map { $0.apply(to: &engine) }
        let firstDifference = zip(replayed, run.outputs).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil && replayed.count == run.outputs.count)
        let sameState = engine == run.engine
        #expect(sameState)
    }

    @Test(arguments: seeds)
    func replayFromASnapshotPlusTheTailGivesIdenticalOutputs(seed: UInt64) throws {
        let run = RandomSession(seed: seed, steps: 5_000, snapshotAt: 2_987)
        let snapshot = try #require(run.snapshot)
        // Through the binary layout the service stores, as a restart reads it.
        var writer = BinaryWriter()
        try JSONDecoder().decode(MatchingEngine.self, from: snapshot).writeSnapshot(into: &writer)
        writer.seal()
        var reader = try BinaryReader(verifying: writer.take())
        var restored = try MatchingEngine.readSnapshot(from: &reader)
        #expect(run.snapshotIndex > 0)
        let tail = run.inputs[run.snapshotIndex...].map { $0.apply(to: &restored) }
        let expected = Array(run.outputs[run.snapshotIndex...])
        let firstDifference = zip(tail, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil && tail.count == expected.count)
        let sameState = restored == run.engine
        #expect(sameState)
    }

    @Test(arguments: seeds)
    func bookMatchesANaiveReferenceModel(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var book = ListedBook()
        var model = NaiveBook()
        var slots: [Int32: BookSlot] = [:]
        var fills: [Fill] = []
        for step in 0..<5_000 {
            let ref = Int32(step)
            if step % 7 == 3, let victim = slots.keys.sorted().randomElement(using: &random), let slot = slots[victim] {
                #expect(book.cancel(slot: slot, order: OrderRef(victim)).map(\.rawValue) == model.cancel(victim))
                slots[victim] = nil
                continue
            }
            let far = random.next() % 50 == 0
            let price = far ? Int64(random.next() % 900_000 + 1) : 10_000 + Int64(random.next() % 41) - 20
            let side: Side = random.next() % 2 == 0 ? .buy : .sell
            let quantity = Int64(random.next() % 500 + 1)
            let account = Int32(random.next() % 16)
            fills.removeAll()
            let outcome = book.submit(order: OrderRef(ref), account: AccountRef(account), side: side,
                                      price: Fen(price), quantity: Tonnes(quantity), fills: &fills)
            let expected = model.submit(ref: ref, account: account, side: side, price: price, quantity: quantity)
            #expect(fills.map { NaiveBook.Fill(maker: $0.maker.rawValue, price: $0.price.rawValue, quantity: $0.quantity.rawValue) }
                    == expected.fills, "step \(step)")
            switch outcome {
            case .resting(let slot, let remaining):
                slots[ref] = slot
                #expect(expected.outcome == .resting(remaining.rawValue), "step \(step)")
            case .filled: #expect(expected.outcome == .filled, "step \(step)")
            case .selfTrade: #expect(expected.outcome == .selfTrade, "step \(step)")
            case .priceRangeTooWide: Issue.record("span exceeded at step \(step)")
            }
            for fill in fills where fill.makerRemaining.rawValue == 0 { slots[fill.maker.rawValue] = nil }
        }
        #expect(book.invariantViolations() == [])
    }
}

/// What the outputs say about one order.
struct OrderLedger: CustomStringConvertible {
    var quantity: Int64
    var filled: Int64 = 0
    var closed: [Int64] = []
    var rejections = 0
    var description: String { "qty \(quantity), filled \(filled), closed \(closed), rejections \(rejections)" }
}

/// The obvious, slow order book: filters and sorts on every order. The reference for `ListedBook`.
struct NaiveBook {
    struct Resting { var ref: Int32, account: Int32, side: Side, price: Int64, remaining: Int64 }
    struct Fill: Equatable { var maker: Int32, price: Int64, quantity: Int64 }
    enum Outcome: Equatable { case filled, resting(Int64), selfTrade }

    var resting: [Resting] = []  // in arrival order: the index is time priority

    mutating func submit(ref: Int32, account: Int32, side: Side, price: Int64, quantity: Int64)
        -> (outcome: Outcome, fills: [Fill])
    {
        let crossing = resting.indices.filter { i in
            resting[i].side != side && (side == .buy ? resting[i].price <= price : resting[i].price >= price)
        }.sorted { a, b in
            let (pa, pb) = (resting[a].price, resting[b].price)
            return pa != pb ? (side == .buy ? pa < pb : pa > pb) : a < b
        }
        var needed = quantity
        for i in crossing where needed > 0 {
            if resting[i].account == account { return (.selfTrade, []) }
            needed -= resting[i].remaining
        }
        var fills: [Fill] = []
        var left = quantity
        for i in crossing where left > 0 {
            let traded = min(left, resting[i].remaining)
            fills.append(Fill(maker: resting[i].ref, price: resting[i].price, quantity: traded))
            resting[i].remaining -= traded
            left -= traded
        }
        resting.removeAll { $0.remaining == 0 }
        guard left > 0 else { return (.filled, fills) }
        resting.append(Resting(ref: ref, account: account, side: side, price: price, remaining: left))
        return (.resting(left), fills)
    }

    mutating func cancel(_ ref: Int32) -> Int64? {
        guard let i = resting.firstIndex(where: { $0.ref == ref }) else { return nil }
        return resting.remove(at: i).remaining
    }
}
