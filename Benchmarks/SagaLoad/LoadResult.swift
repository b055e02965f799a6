/// The result of a run as printed: the same fields, in the same order, as the Python generator
/// printed, with the latency percentiles now from `LatencyHistogram`.
///
/// Latency of a trade: from the moment the later of its two orders was due (the moment the
/// trade became possible; the Python generator produced each order at that moment and took the
/// time after its produce call) to the moment its `TradeSettled` was read. Counting from the due
/// time keeps whatever the generator itself waited for inside the sample. Throughput: orders of
/// settled trades / (last `TradeSettled` read - first order due).
enum LoadResult {
    static func members(orders: Int, rate: Double, outcome: OrderLoad.Outcome, seen: Watcher.Seen) -> [(String, OrderedJSON)] {
        var latencies = LatencyHistogram()
        for sample in samples(orders: orders, outcome: outcome, seen: seen) { latencies.record(nanoseconds: sample.latency) }
        let pairs = orders / 2
        let last = seen.settled.values.max() ?? outcome.start
        let elapsed = MonotonicClock.seconds(since: outcome.start, until: last)
        return [
            ("orders", .int(2 * pairs)),
            ("offeredRate", .double(rate)),
            ("producedIn", .rounded(outcome.producedIn, 3)),
            ("tradesExecuted", .int(seen.count(.tradeExecuted))),
            ("tradesSettled", .int(seen.settled.count)),
            ("elapsedToLastSettled", .rounded(elapsed, 3)),
            ("sustainedOrdersPerSecond", elapsed > 0 ? .rounded(Double(2 * seen.settled.count) / elapsed, 1) : .null),
            ("latencyMs", latencies.json),
            ("rejections", .object(WatchedEvent.rejections.map { ($0.rawValue, .int(seen.count($0))) })),
        ]
    }

    /// Every settled trade of the load: when it became possible and how long it took.
    private static func samples(orders: Int, outcome: OrderLoad.Outcome, seen: Watcher.Seen) -> [(possibleAt: UInt64, latency: UInt64)] {
        let count = orders - orders % 2
        return seen.settled.compactMap { tradeId, settledAt in
            guard let trade = seen.trades[tradeId],
                  let buy = OrderIDs.sequence(of: trade.buy), let sell = OrderIDs.sequence(of: trade.sell),
                  buy < count, sell < count else { return nil }
            let possibleAt = outcome.due(max(buy, sell))
            return (possibleAt, settledAt > possibleAt ? settledAt - possibleAt : 0)
        }
    }

    /// `latencyBySecond` (`--timeline`): per second of the load, by when a trade became possible,
    /// the trades and their p50, p99 and max in milliseconds, so a tail can be placed in time.
    static func timeline(orders: Int, outcome: OrderLoad.Outcome, seen: Watcher.Seen) -> OrderedJSON {
        var bySecond: [Int: [UInt64]] = [:]
        for sample in samples(orders: orders, outcome: outcome, seen: seen) {
            let second = Int((sample.possibleAt &- outcome.start) / 1_000_000_000)
            bySecond[second, default: []].append(sample.latency)
        }
        return .object(bySecond.keys.sorted().map { second in
            let sorted = (bySecond[second] ?? []).sorted()
            func ms(_ quantile: Double) -> OrderedJSON {
                let rank = min(sorted.count - 1, max(0, Int((quantile * Double(sorted.count)).rounded(.up)) - 1))
                return .rounded(Double(sorted[rank]) / 1e6, 1)
            }
            return (String(second), .object([("trades", .int(sorted.count)), ("p50", ms(0.5)), ("p99", ms(0.99)),
                                             ("max", ms(1.0))]))
        })
    }
}
