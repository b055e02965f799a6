import Contract
import Kafka

/// The load: N orders offered at a fixed rate as crossing pairs, a sell of 1 t at the reference
/// price by a plant, then a buy of 1 t at the same price by an investor. Every order goes
/// through the whole saga (freeze or reserve, admission, trade, delivery and payment) and every
/// pair ends in one `TradeSettled`. Orders are encoded before the clock starts; `OrderPacer`
/// offers them; then the run waits (at most `--timeout` seconds) for the last settlement.
struct OrderLoad {
    let sender: CommandSender
    let watcher: Watcher
    let participants: Participants
    /// Orders in all (an odd count drops the last one: orders come in pairs).
    let orders: Int
    /// Milliseconds between two sends, at least (`OrderPacer`).
    let sendEveryMs: Int
    /// Orders per second offered.
    let rate: Double
    let timeout: Double
    let stopOnReject: Bool

    struct Outcome {
        /// When the first order was due (monotonic nanoseconds).
        var start: UInt64
        /// Nanoseconds between two orders.
        var interval: Double
        /// Seconds from `start` until the last order was handed to the producer.
        var producedIn: Double

        /// When the order at `sequence` (`OrderIDs`) was due to be offered.
        func due(_ sequence: Int) -> UInt64 { start + UInt64(Double(sequence) * interval) }
    }

    func run() async throws -> Outcome {
        let count = orders - orders % 2
        let sellers = participants.sellers, buyers = participants.buyers
        var records: [ProducerRecord] = []
        records.reserveCapacity(count)
        for pair in 0..<count / 2 {
            for (side, account, orderId) in [(Side.sell, sellers[pair % sellers.count], OrderIDs.sell(pair)),
                                             (Side.buy, buyers[pair % buyers.count], OrderIDs.buy(pair))] {
                let order = SubmitOrder(orderId: orderId, accountId: account, instrument: .cea, side: side, method: .listed,
                                        quantity: 1, price: MarketSetUp.price)
                records.append(sender.record(order, to: .marketOrders, source: "participant"))
            }
        }
        let interval = 1e9 / rate
        let paced = try await OrderPacer(sender: sender, records: records, interval: interval,
                                          minimumPause: UInt64(sendEveryMs) * 1_000_000).run()
        try sender.flush(seconds: 120)
        let deadline = MonotonicClock.nanoseconds() + UInt64(timeout * 1e9)
        while watcher.settledCount < count / 2, MonotonicClock.nanoseconds() < deadline {
            if stopOnReject, watcher.count(.orderRejected) > 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        return Outcome(start: paced.start, interval: interval,
                       producedIn: MonotonicClock.seconds(since: paced.start, until: paced.finished))
    }
}
