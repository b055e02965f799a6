import Foundation
import Synchronization

/// Every process the test kit started, so that none outlives the test run: each fixture stops
/// its own, and an exit handler kills whatever a crashed or failed test left behind.
///
/// `atexit` does not run when the process is terminated by a signal, which is how a test's
/// timeout stops `ecoctl chaos`: its broker outlived it. So SIGTERM, SIGINT and SIGHUP (where
/// nobody else handles them) also kill the children, then terminate as the signal would have.
enum ChildProcesses {
    private static let pids = Mutex<Set<Int32>>([])
    private static let installed = Mutex<Bool>(false)
    /// Kept so the sources live; written once, by the one caller that finds `installed` false.
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []

    static func track(_ pid: Int32) {
        pids.withLock { _ = $0.insert(pid) }
        let first = installed.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first {
            atexit { ChildProcesses.killAll() }
            for signalNumber in [SIGTERM, SIGINT, SIGHUP] { killChildren(on: signalNumber) }
        }
    }

    /// Kills the children when `signalNumber` arrives, then dies of it; only if the signal still
    /// has its default action (a host that handles it keeps its handler).
    private static func killChildren(on signalNumber: Int32) {
        var current = sigaction()
        guard sigaction(signalNumber, nil, &current) == 0, current.__sigaction_handler.sa_handler == nil else { return }
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler {
            killAll()
            signal(signalNumber, SIG_DFL)
            kill(getpid(), signalNumber)  // not raise: dispatch threads block signals
        }
        source.resume()
        signalSources.append(source)
    }

    static func untrack(_ pid: Int32) { pids.withLock { _ = $0.remove(pid) } }

    static func killAll() {
        for pid in pids.withLock({ $0 }) { kill(pid, SIGKILL) }
    }
}
