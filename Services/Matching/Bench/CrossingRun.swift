import Histogram
import MatchingDomain

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the crossing workload and reports throughput and per-order latency.
///
/// Two passes over the same orders, each on a fresh book: an un-instrumented pass for the
/// throughput (one clock read at each end), then a pass that reads the clock around every order
/// and records the nanoseconds in an HdrHistogram. The clock reads cost a few tens of ns per
/// order, so the latency pass is slower; its throughput is printed too so that the cost shows.
struct CrossingRun {
    var workload: CrossingWorkload
    var path: BenchPath

    /// Orders through the book, the number of trades, and the wall time.
    struct Pass {
        var trades = 0
        var rejected = 0
        var nanoseconds: UInt64 = 0
        var histogram: Histogram<UInt64>?
    }

    func run() {
        let timed = measure(recordLatency: false)
        let sampled = measure(recordLatency: true)
        let orders = workload.count
        print("workload crossing: \(orders) orders, path \(path.rawValue), \(accountsText)")
        print("throughput pass (no per-order clock reads):")
        print("  trades \(timed.trades), rejected \(timed.rejected), elapsed \(format(ms: timed.nanoseconds)) ms, \(rate(orders, timed.nanoseconds)) orders/s")
        print("latency pass (clock read around each order, overhead \(timerOverhead()) ns per read pair included):")
        print("  trades \(sampled.trades), elapsed \(format(ms: sampled.nanoseconds)) ms, \(rate(orders, sampled.nanoseconds)) orders/s")
        if let histogram = sampled.histogram {
            let p = { (q: Double) in histogram.valueAtPercentile(q) }
            print("  latency per order ns: p50 \(p(50)), p99 \(p(99)), p99.9 \(p(99.9)), max \(histogram.max), mean \(Int(histogram.mean))")
        }
        if timed.trades != sampled.trades {
            print("WARNING: the two passes disagree on the number of trades")
        }
    }

    private var accountsText: String {
        let accounts = workload.accountCount == 0 ? "one account per order" : "\(workload.accountCount) accounts"
        return "\(accounts), self-trade check on every order"
    }

    private func measure(recordLatency: Bool) -> Pass {
        switch path {
        case .book: measureBook(recordLatency: recordLatency)
        case .engine: measureEngine(recordLatency: recordLatency)
        }
    }

    /// The matching core alone: `ListedBook.submit` with dense ids, holds bypassed. This is the
    /// same code the engine runs when an order is admitted.
    private func measureBook(recordLatency: Bool) -> Pass {
        var book = ListedBook()
        let band = PriceBand(reference: CrossingWorkload.referencePrice, basisPoints: 1_000)
        book.reserveLadder(low: band.lower, high: band.upper)
        var fills: [Fill] = []
        fills.reserveCapacity(64)
        var pass = Pass()
        var histogram = recordLatency ? Histogram<UInt64>(highestTrackableValue: 10_000_000_000) : nil
        let w = workload
        let start = monotonicNanoseconds()
        for i in 0..<w.count {
            fills.removeAll(keepingCapacity: true)
            let before = recordLatency ? monotonicNanoseconds() : 0
            let outcome = book.submit(order: OrderRef(Int32(truncatingIfNeeded: i)), account: AccountRef(w.accounts[i]),
                                      side: w.sides[i], price: w.prices[i], quantity: w.quantities[i], fills: &fills)
            if recordLatency { histogram?.record(monotonicNanoseconds() - before) }
            pass.trades += fills.count
            if case .selfTrade = outcome { pass.rejected += 1 }
        }
        pass.nanoseconds = monotonicNanoseconds() - start
        pass.histogram = histogram
        return pass
    }

    /// The whole engine: string ids, order table, outputs; holds off (admitted at submit).
    private func measureEngine(recordLatency: Bool) -> Pass {
        var engine = workload.openEngine()
        var outputs: [MatchingOutput] = []
        outputs.reserveCapacity(64)
        let requests = workload.requests()
        var pass = Pass()
        var histogram = recordLatency ? Histogram<UInt64>(highestTrackableValue: 10_000_000_000) : nil
        let start = monotonicNanoseconds()
        for request in requests {
            outputs.removeAll(keepingCapacity: true)
            let before = recordLatency ? monotonicNanoseconds() : 0
            engine.submit(request, into: &outputs)
            if recordLatency { histogram?.record(monotonicNanoseconds() - before) }
            for output in outputs {
                if case .trade = output { pass.trades += 1 } else if case .rejected = output { pass.rejected += 1 }
            }
        }
        pass.nanoseconds = monotonicNanoseconds() - start
        pass.histogram = histogram
        return pass
    }

    /// The cost of one pair of clock reads, as the median of many.
    private func timerOverhead() -> UInt64 {
        var samples: [UInt64] = []
        for _ in 0..<10_001 {
            let a = monotonicNanoseconds()
            samples.append(monotonicNanoseconds() - a)
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    private func rate(_ orders: Int, _ nanoseconds: UInt64) -> String {
        let perSecond = Double(orders) / (Double(max(nanoseconds, 1)) / 1e9)
        return String(Int(perSecond.rounded()))
    }

    private func format(ms nanoseconds: UInt64) -> String {
        let tenths = nanoseconds / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// Which code the workload runs through.
enum BenchPath: String, CaseIterable, Sendable {
    /// `ListedBook` directly (dense ids, no strings): the matching core.
    case book
    /// `MatchingEngine.submit` with string ids and full outputs, holds off.
    case engine
}

/// Nanoseconds of the monotonic clock.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
