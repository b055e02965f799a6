import Foundation
import Synchronization

/// A dedicated OS thread that repeats one blocking librdkafka call until stopped, so that
/// blocking C calls never occupy a thread of the Swift concurrency pool.
final class PollThread: Sendable {
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) { body() }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the loop to end and waits for the current call to return.
    func stop() {
        if running.exchange(false, ordering: .acquiringAndReleasing) { finished.wait() }
    }
}

/// An `rd_kafka_t` pointer. librdkafka handles are thread-safe, so sharing the pointer is.
struct SendableHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
