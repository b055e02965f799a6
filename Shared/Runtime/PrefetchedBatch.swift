import Contract
import Dispatch
import Kafka
import Synchronization

/// The next batch, polled before the current one commits and decoded on another thread
/// meanwhile, so that decoding overlaps the current batch's SQLite transaction.
///
/// Only the loop thread polls and rewinds the consumer, so a batch prefetched before a failed
/// commit is simply dropped: the rewind to the stored offsets delivers its records again.
final class PrefetchedBatch: Sendable {
    let records: [ConsumerRecord]
    private let result = Mutex<[Result<IncomingEnvelope, DecodeFailure>]?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    init(_ records: [ConsumerRecord], decode: @escaping @Sendable ([ConsumerRecord]) -> [Result<IncomingEnvelope, DecodeFailure>]) {
        self.records = records
        DispatchQueue.global().async { [self] in
            let decoded = decode(records)
            result.withLock { $0 = decoded }
            finished.signal()
        }
    }

    /// The decoded records, in order; waits for the decoding to finish.
    func decoded() -> [Result<IncomingEnvelope, DecodeFailure>] {
        if let done = result.withLock({ $0 }) { return done }
        finished.wait()
        return result.withLock { $0 } ?? []
    }
}
