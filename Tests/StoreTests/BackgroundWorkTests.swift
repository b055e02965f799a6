import Foundation
@testable import Store
import Synchronization
import Testing

/// Snapshots and checkpoints run on `BackgroundWork`: below the order path's priority, and
/// without lowering any thread that later runs other work.
@Suite("Background work")
struct BackgroundWorkTests {
    @Test func jobsRunNicedOnThreadsOfTheirOwn() {
        let caller = BackgroundWork.currentNiceness()
        let work = BackgroundWork(name: "test-background", niceness: 10)
        let seen = Mutex<[Int32]>([])
        for _ in 0..<3 {
            work.start { seen.withLock { $0.append(BackgroundWork.currentNiceness()) } }
        }
        work.wait()
        #if os(Linux)
        #expect(seen.withLock { $0 } == Array(repeating: min(19, caller + 10), count: 3))
        #else
        #expect(seen.withLock { $0.count } == 3)
        #endif
        #expect(BackgroundWork.currentNiceness() == caller, "the caller's own priority is left alone")
    }

    @Test func waitReturnsOnlyAfterEveryStartedJobFinished() {
        let work = BackgroundWork(name: "test-background")
        let finished = Atomic<Int>(0)
        for _ in 0..<4 {
            work.start {
                Thread.sleep(forTimeInterval: 0.05)
                finished.add(1, ordering: .relaxed)
            }
        }
        work.wait()
        #expect(finished.load(ordering: .relaxed) == 4)
    }

    @Test func niceValuesStopAtNineteen() {
        let work = BackgroundWork(name: "test-background", niceness: 40)
        let seen = Mutex<Int32?>(nil)
        work.start { seen.withLock { $0 = BackgroundWork.currentNiceness() } }
        work.wait()
        #if os(Linux)
        #expect(seen.withLock { $0 } == 19)
        #else
        #expect(seen.withLock { $0 } != nil)
        #endif
    }
}
