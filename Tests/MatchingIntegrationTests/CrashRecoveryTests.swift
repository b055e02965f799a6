import Contract
import EcoTestKit
import Foundation
import GRDB
import Testing

/// A `kill -9` in the middle of a trading day, then a restart on the same SQLite file, gives the
/// same trades (ids, prices, quantities) and the same event ids as a run that was never killed.
///
/// Why the holds go first: matching's outcome depends on the order in which holds and orders
/// meet, and Kafka orders records only within a partition. The holds (on two topics, keyed by
/// account) are all taken in before any order is sent; the orders and cancels then travel on
/// one partition of `market.orders` (keyed by instrument), so both runs see one order of inputs.
@Suite("Matching crash recovery", .serialized)
struct CrashRecoveryTests {
    static let orders = 2_000
    static let day = CivilDate(year: 2026, month: 7, day: 16)

    struct Outcome {
        /// Every distinct event on `matching.events`, by id.
        var events: [String: Data]
        var trades: [String: TradeExecuted]
        var closed: SessionClosed?
        var killedAfter: Int?
        /// The newest snapshot in the file at the kill: where the restart's restore began.
        var restoredFromSnapshot: Int?
    }

    @Test func sigkillMidStreamThenRestartGivesTheTradesAndIdsOfAnUninterruptedRun() async throws {
        let uninterrupted = try await run(killAfterAccepted: nil)
        let killed = try await run(killAfterAccepted: Self.orders / 4)

        let killedAfter = try #require(killed.killedAfter)
        #expect(killedAfter < Self.orders, "the kill landed mid-stream")
        #expect((killed.restoredFromSnapshot ?? 0) > 0, "the restart loaded a snapshot and replayed the journal after it")
        #expect(uninterrupted.trades.count > 300, "the day trades")
        #expect(Set(killed.events.keys) == Set(uninterrupted.events.keys), "the same event ids")
        #expect(Set(killed.trades.keys) == Set(uninterrupted.trades.keys))
        for (id, trade) in uninterrupted.trades {
            let other = killed.trades[id]
            #expect(other?.tradeId == trade.tradeId && other?.price == trade.price && other?.quantity == trade.quantity
                    && other?.buyOrderId == trade.buyOrderId && other?.sellOrderId == trade.sellOrderId, "trade event \(id)")
        }
        #expect(killed.closed != nil && killed.closed?.closePrice == uninterrupted.closed?.closePrice
                && killed.closed?.volume == uninterrupted.closed?.volume && killed.closed?.turnover == uninterrupted.closed?.turnover)
    }

    /// One trading day against a fresh broker and service; optionally `kill -9` once the service
    /// has accepted `killAfterAccepted` orders, then restart it on the same file.
    func run(killAfterAccepted: Int?) async throws -> Outcome {
        let fixture = try await MatchingFixture(extraArguments: ["--batch-size", "20", "--snapshot-every", "150"])
        defer { fixture.stop() }
        let script = Script(orders: Self.orders)
        try await fixture.writer.send(Envelope(command: OpenSession(instrument: .cea, tradingDay: Self.day, referencePrice: 5_000),
                                               source: "test", id: DeterministicID.nameBased("crash/open")), to: .marketOrders)
        try await fixture.events.await(SessionOpened.self)
        for (index, (payload, topic)) in script.holds.enumerated() {
            try await fixture.writer.send(any: payload, to: topic, id: DeterministicID.nameBased("crash/hold/\(index)"))
        }
        try await fixture.awaitApplied(1 + script.holds.count)

        // The orders, then the cancels, each in acknowledged chunks: one partition, one order.
        let orders = script.orders.enumerated().map { index, order in
            Envelope(command: order, source: "test", id: DeterministicID.nameBased("crash/order/\(index)"))
        }
        let cancels = script.cancels.enumerated().map { index, cancel in
            Envelope(command: cancel, source: "test", id: DeterministicID.nameBased("crash/cancel/\(index)"))
        }
        for chunk in stride(from: 0, to: orders.count, by: 500) {
            try await fixture.writer.sendAll(Array(orders[chunk..<min(orders.count, chunk + 500)]), to: .marketOrders)
        }
        try await fixture.writer.sendAll(cancels, to: .marketOrders)
        var killedAfter: Int?
        var restoredFrom: Int?
        if let killAfterAccepted {
            try await fixture.events.awaitCount(killAfterAccepted, timeout: .seconds(120)) { $0.type == "OrderAccepted" }
            fixture.matching.kill9()
            killedAfter = fixture.events.records.filter { $0.type == "OrderAccepted" }.count
            restoredFrom = try fixture.latestSnapshot()
            try fixture.matching.start()
            try await fixture.matching.waitUntilReady(timeout: .seconds(180))
        }
        try await fixture.awaitApplied(1 + script.holds.count + orders.count + cancels.count, timeout: .seconds(180))
        try await fixture.writer.send(Envelope(command: CloseSession(instrument: .cea, tradingDay: Self.day), source: "test",
                                               id: DeterministicID.nameBased("crash/close")), to: .marketOrders)
        let closed = try await fixture.events.await(SessionClosed.self, timeout: .seconds(60))
        try await Task.sleep(for: .seconds(1))  // let any re-published copies arrive too

        var events: [String: Data] = [:]
        var trades: [String: TradeExecuted] = [:]
        for record in fixture.events.records {
            guard let id = record.id else { continue }
            if let first = events[id] {
                #expect(first == record.record.value, "a re-published copy of \(id) is byte-identical")
            }
            events[id] = record.record.value
            if let trade = record.payload(TradeExecuted.self) { trades[id] = trade }
        }
        return Outcome(events: events, trades: trades, closed: closed, killedAfter: killedAfter,
                       restoredFromSnapshot: restoredFrom)
    }
}

/// The day's inputs: holds for every order (a few refused), the orders, and cancels of some.
struct Script {
    var holds: [(any EventPayload, Topic)] = []
    var orders: [SubmitOrder] = []
    var cancels: [CancelOrder] = []

    init(orders count: Int) {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((state >> 33) % UInt64(bound))
        }
        for n in 0..<count {
            let side: Contract.Side = next(2) == 0 ? .buy : .sell
            let order = Saga.order("o-\(n)", "acct-\(next(16))", side, 1 + next(300), at: 4_950 + next(100))
            holds.append(next(25) == 0 ? Saga.refusal(for: order) : Saga.hold(for: order))
            orders.append(order)
        }
        for _ in 0..<(count / 10) {
            let victim = orders[Int(next(count))]
            cancels.append(CancelOrder(orderId: victim.orderId, accountId: victim.accountId, instrument: .cea))
        }
    }
}
