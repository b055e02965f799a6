import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs work nobody waits for (matching's snapshot encodings) on a thread of its own at a lower
/// scheduling priority than the service's order path.
///
/// Why: at full load the two cores of a small host are busy, and a snapshot that takes its share
/// of a core while an order waits adds to every hop's latency. Niced, it runs in
/// the gaps the order path leaves and still finishes (the kernel gives a nice-10 thread about a
/// tenth of a contended core, all of an idle one). A thread per job, not a pool's worker: a
/// worker lowered for one job would carry the lower priority into the next, and raising it back
/// needs a privilege containers do not grant. Jobs are seconds apart, so the thread's start
/// costs nothing that shows. Not for work the order path may wait on: the WAL checkpointer's
/// inline checkpoint waits for a background one in progress, which must not be starved.
public struct BackgroundWork: Sendable {
    /// The `nice` increment of the jobs' threads (Linux: per thread; elsewhere ignored).
    public let niceness: Int32
    private let name: String
    private let running = DispatchGroup()

    public init(name: String, niceness: Int32 = 10) {
        self.name = name
        self.niceness = niceness
    }

    /// Starts `job` on a new lower-priority thread and returns at once.
    public func start(_ job: @escaping @Sendable () -> Void) {
        let group = running
        let niceness = niceness
        group.enter()
        let thread = Thread {
            Self.lowerPriority(by: niceness)
            job()
            group.leave()
        }
        thread.name = name
        thread.start()
    }

    /// Waits until every job started so far has finished (shutdown and tests).
    public func wait() {
        running.wait()
    }

    /// The calling thread's nice value, raised by `increment` (Linux threads each have their own).
    /// A failure leaves the thread as it was: the job still runs, at the usual priority.
    static func lowerPriority(by increment: Int32) {
        #if os(Linux)
        guard increment > 0 else { return }
        // `who` 0 is the calling task, which on Linux is the thread, not the whole process.
        errno = 0
        let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        guard errno == 0 else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, current + increment))
        #endif
    }

    /// The calling thread's nice value (Linux; 0 elsewhere), for tests and logs.
    public static func currentNiceness() -> Int32 {
        #if os(Linux)
        errno = 0
        let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        return errno == 0 ? value : 0
        #else
        return 0
        #endif
    }
}
