import Foundation
import Kafka

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Offers prepared orders at a fixed rate: order `k` is due `k / rate` seconds after the start,
/// and every order due by now goes to the producer in one batch.
///
/// Two things keep its CPU low, because every cycle it takes is one the measured services lose:
/// - It runs on a thread of its own and sleeps with `nanosleep`, at least 1 ms (`--send-every-ms`)
///   and at most 2 ms at a time (1 ms batches the orders of a fast rate; 2 ms is as long as the
///   Python generator ever slept). With `Task.sleep` each wake-up went through dispatch's timer thread and the
///   concurrency pool, and the generator used half as much CPU again at 2,000 orders/s.
/// - It hands librdkafka the next batch only once the last one is acknowledged. While records
///   wait behind an unacknowledged request of an idempotent producer, librdkafka's broker thread
///   polls its socket with a zero timeout until the acknowledgement comes (strace: ~10,000 such
///   polls a second at 2,000 orders/s); that spin was four fifths of the generator's CPU, about
///   0.4 of a core. Orders that fall due meanwhile go in the next batch, and their latency counts
///   from when they were due, so the wait is not hidden.
struct OrderPacer: Sendable {
    let sender: CommandSender
    let records: [ProducerRecord]
    /// Nanoseconds between two orders.
    let interval: Double
    /// The shortest sleep between two sends, nanoseconds (`--send-every-ms`; 1 ms by default).
    var minimumPause: UInt64 = 1_000_000

    /// When the first order was due (monotonic nanoseconds) and when the last was handed over.
    struct Run: Sendable {
        var start: UInt64
        var finished: UInt64
    }

    func run() async throws -> Run {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Run, any Error>) in
            let thread = Thread { continuation.resume(with: Result { try offer() }) }
            thread.name = "saga-pacer"
            thread.start()
        }
    }

    private func offer() throws -> Run {
        let maximumPause = max(minimumPause, 2_000_000)
        let start = MonotonicClock.nanoseconds()
        var sent = 0
        var inFlight: Delivery?
        while sent < records.count {
            let now = MonotonicClock.nanoseconds()
            let due = min(records.count, Int(Double(now - start) / interval) + 1)
            if let delivery = inFlight, delivery.result != nil { inFlight = nil }
            if due > sent, inFlight == nil {
                inFlight = try sender.submit(records[sent..<due])
                sent = due
                if sent == records.count { break }
            }
            let nextDue = start + UInt64(Double(sent) * interval)
            let pause = nextDue > now ? min(max(nextDue - now, minimumPause), maximumPause) : minimumPause
            var request = timespec(tv_sec: 0, tv_nsec: Int(pause))
            nanosleep(&request, nil)
        }
        return Run(start: start, finished: MonotonicClock.nanoseconds())
    }
}
