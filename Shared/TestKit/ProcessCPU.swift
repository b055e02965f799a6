import Foundation

#if canImport(Glibc)
private let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// CPU seconds this process has used (user + system, all threads), for the benchmarks.
///
/// Wall-clock rates on a shared 2-core machine move by a third from run to run with whatever
/// else the host runs; CPU per record or per order is the steadier measure of what a change
/// costs or saves. A load generator sharing the cores with the services it measures also
/// reports what it took itself.
public enum ProcessCPU {
    public static func seconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF_WHO, &usage) == 0 else { return 0 }
        func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return value(usage.ru_utime) + value(usage.ru_stime)
    }
}
