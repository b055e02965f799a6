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
        let count = orders - orders % 2
        var latencies = LatencyHistogram()
        for (tradeId, settledAt) in seen.settled {
            guard let trade = seen.trades[tradeId],
                  let buy = OrderIDs.sequence(of: trade.buy), let sell = OrderIDs.sequence(of: trade.sell),
                  buy < count, sell < count else { continue }
            let possibleAt = outcome.due(max(buy, sell))
            latencies.record(nanoseconds: settledAt > possibleAt ? settledAt - possibleAt : 0)
        }
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
}
