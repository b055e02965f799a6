import Foundation
import Synchronization

/// Every process the test kit started, so that none outlives the test run: each fixture stops
/// its own, and an exit handler kills whatever a crashed or failed test left behind.
enum ChildProcesses {
    private static let pids = Mutex<Set<Int32>>([])
    private static let installed = Mutex<Bool>(false)

    static func track(_ pid: Int32) {
        pids.withLock { _ = $0.insert(pid) }
        let first = installed.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { atexit { ChildProcesses.killAll() } }
    }

    static func untrack(_ pid: Int32) { pids.withLock { _ = $0.remove(pid) } }

    static func killAll() {
        for pid in pids.withLock({ $0 }) { kill(pid, SIGKILL) }
    }
}
