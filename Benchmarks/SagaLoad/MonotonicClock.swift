#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds of `CLOCK_MONOTONIC`: latencies are differences of two reads, so the clock must
/// not step with NTP or the wall clock, and a plain integer keeps the per-order bookkeeping
/// (one read per produced chunk, one per polled batch) cheap.
enum MonotonicClock {
    static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Seconds from `start` to `end` (or now), for the printed durations.
    static func seconds(since start: UInt64, until end: UInt64 = nanoseconds()) -> Double {
        end > start ? Double(end - start) / 1e9 : 0
    }
}
