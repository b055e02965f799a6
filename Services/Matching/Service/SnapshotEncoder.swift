import Foundation
import Store
import Synchronization

/// Encodes snapshots of the state (`MatchingState.writeSnapshot`), on a niced background thread
/// (`BackgroundWork`) or inline.
///
/// Why in the background: a snapshot costs time in proportion to the whole state (every order of
/// the day), and the loop must not stall for it. (Through `JSONEncoder` it had taken half the
/// service's CPU under load; the binary layout is written about forty times faster,
/// `matching-bench --snapshot`.) The state is a value, so the loop hands over a copy (free at
/// once; the loop's next change to the order table and index copies them, 7.9 ms at 150,000
/// orders) and goes on; the encoded snapshot is written by a later input's transaction, as of
/// the `seq` it was copied at. That is safe because a snapshot at `seq` only needs the journal
/// rows after `seq`, which are kept until a newer snapshot is written.
///
/// A rolled-back batch may have moved memory past what SQLite kept, so `invalidate` (called by
/// `restore`) drops any snapshot copied before it, finished or not.
final class SnapshotEncoder: Sendable {
    struct Encoded: Sendable {
        var seq: Int64
        var bytes: [UInt8]
    }

    private struct Slot {
        var generation = 0
        var busy = false
        var ready: (encoded: Encoded, generation: Int)?
        /// The buffer the next snapshot is written into: the last one's, once it was stored.
        /// Reusing it spares the kernel zeroing (and the writer growing) tens of megabytes of
        /// fresh memory per snapshot, which had cost as much as the encoding itself.
        var buffer: [UInt8] = []
    }

    let background: Bool
    private let slot = Mutex(Slot())
    /// A thread per encoding, niced below the loop's (`BackgroundWork`).
    private let work = BackgroundWork(name: "matching-snapshot")

    init(background: Bool) {
        self.background = background
    }

    /// Starts encoding `state` (as of `seq`) unless an encoding is in flight or waiting to be
    /// written. Inline mode encodes now and throws what the encoder throws.
    func start(_ state: MatchingState, seq: Int64) throws {
        let generation: Int? = slot.withLock { slot in
            guard !slot.busy, slot.ready == nil else { return nil }
            slot.busy = true
            return slot.generation
        }
        guard let generation else { return }
        guard background else {
            defer { slot.withLock { $0.busy = false } }
            try encode(state, seq: seq, generation: generation)
            return
        }
        work.start { [self] in
            try? encode(state, seq: seq, generation: generation)
            slot.withLock { $0.busy = false }
        }
    }

    /// Writes `state` into the kept buffer (taken out of the slot, so this holds its only
    /// reference and the writer keeps its storage) and leaves it ready unless invalidated since.
    private func encode(_ state: MatchingState, seq: Int64, generation: Int) throws {
        var buffer: [UInt8] = slot.withLock { slot in
            var buffer: [UInt8] = []
            swap(&buffer, &slot.buffer)
            return buffer
        }
        try state.writeSnapshot(into: &buffer)
        slot.withLock { slot in
            if slot.generation == generation {
                slot.ready = (Encoded(seq: seq, bytes: buffer), generation)
            } else {
                slot.buffer = buffer  // invalidated meanwhile: drop the snapshot, keep its memory
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
            guard let ready = slot.ready, ready.encoded.seq == seq else { return }
            slot.ready = nil
            slot.buffer = ready.encoded.bytes
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
        work.wait()
    }
}
