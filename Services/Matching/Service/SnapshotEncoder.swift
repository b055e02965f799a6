import Foundation
import Synchronization

/// Encodes snapshots of the state as JSON, on a background queue or inline.
///
/// Why in the background: a snapshot costs time in proportion to the whole state (every order of
/// the day), and the loop must not stall for it. The JSON is written by `snapshotJSON`, several
/// times faster than `JSONEncoder`, which had taken half the service's CPU under load.
/// The state is a value, so the loop hands over a copy (copy-on-write: nearly free) and goes
/// on; the encoded snapshot is written by a later input's transaction, as of the `seq` it was
/// copied at. That is safe because a snapshot at `seq` only needs the journal rows after `seq`,
/// which are kept until a newer snapshot is written.
///
/// A rolled-back batch may have moved memory past what SQLite kept, so `invalidate` (called by
/// `restore`) drops any snapshot copied before it, finished or not.
final class SnapshotEncoder: Sendable {
    struct Encoded: Sendable {
        var seq: Int64
        var data: Data
    }

    private struct Slot {
        var generation = 0
        var busy = false
        var ready: (encoded: Encoded, generation: Int)?
        /// The size of the last snapshot encoded: the next one's buffer starts that large.
        var lastBytes = 0
    }

    let background: Bool
    private let slot = Mutex(Slot())
    private let queue = DispatchQueue(label: "matching-snapshot", qos: .utility)

    init(background: Bool) {
        self.background = background
    }

    /// Starts encoding `state` (as of `seq`) unless an encoding is in flight or waiting to be
    /// written. Inline mode encodes now and throws what the encoder throws.
    func start(_ state: MatchingState, seq: Int64) throws {
        let started: (generation: Int, capacity: Int)? = slot.withLock { slot in
            guard !slot.busy, slot.ready == nil else { return nil }
            slot.busy = true
            return (slot.generation, slot.lastBytes + slot.lastBytes / 8)
        }
        guard let (generation, capacity) = started else { return }
        guard background else {
            defer { slot.withLock { $0.busy = false } }
            let data = try state.snapshotJSON(capacity: capacity)
            slot.withLock {
                $0.ready = (Encoded(seq: seq, data: data), generation)
                $0.lastBytes = data.count
            }
            return
        }
        queue.async { [self] in
            let data = try? state.snapshotJSON(capacity: capacity)
            slot.withLock { slot in
                slot.busy = false
                if let data {
                    slot.lastBytes = data.count
                    if slot.generation == generation { slot.ready = (Encoded(seq: seq, data: data), generation) }
                }
            }
        }
    }

    /// The encoded snapshot waiting to be written, if any. It stays until `written`.
    var ready: Encoded? {
        slot.withLock { slot in
            guard let ready = slot.ready, ready.generation == slot.generation else { return nil }
            return ready.encoded
        }
    }

    /// Whether a snapshot is being encoded or waits to be written.
    var pending: Bool {
        slot.withLock { $0.busy || $0.ready != nil }
    }

    /// The snapshot at `seq` is in the transaction: forget it.
    func written(seq: Int64) {
        slot.withLock { slot in
            if slot.ready?.encoded.seq == seq { slot.ready = nil }
        }
    }

    /// Drops every snapshot copied so far (memory is being reloaded from SQLite).
    func invalidate() {
        slot.withLock { slot in
            slot.generation += 1
            slot.ready = nil
        }
    }

    /// Waits until no encoding is in flight (for tests).
    func settle() {
        queue.sync {}
    }
}
