import Synchronization

/// Outbox messages of committed transactions, handed to the publisher in memory so that it
/// need not read back from SQLite what the loop has just written.
///
/// The table stays the truth: this only saves the read. The publisher asks for the messages
/// after the position it last published; when this queue cannot answer exactly (a service
/// restarted with a backlog, the queue overflowed while the broker was away, a message
/// committed before the publisher caught up was dropped), it says so and the publisher reads
/// the table as before. The queue is bounded, so a long broker outage costs no memory: past
/// its bound it drops its oldest messages, only as many as it must, so that a publisher a little
/// behind reads back only those and then takes the rest from memory again. (Dropping the whole
/// queue, as it first did, had `runtime-bench`'s publisher read back a third of all it sent.)
final class CommittedOutbox: Sendable {
    private struct State {
        /// Messages of the open transaction, with their `seq`, kept or dropped when it ends.
        var staged: [OutboxMessage] = []
        /// Committed messages in `seq` order, consecutive; the oldest may be already published.
        var ready: [OutboxMessage] = []
        var readyStart = 0
        var readyBytes = 0
        /// The highest `seq` committed (0 for an empty table).
        var lastCommitted: Int64
        /// The highest `seq` given out in the open transaction.
        var lastAssigned: Int64
    }

    private let state: Mutex<State>
    private let limitMessages: Int
    private let limitBytes: Int

    init(lastSeq: Int64, limitMessages: Int = 250_000, limitBytes: Int = 64 << 20) {
        state = Mutex(State(lastCommitted: lastSeq, lastAssigned: lastSeq))
        self.limitMessages = limitMessages
        self.limitBytes = limitBytes
    }

    /// The highest `seq` of a committed message.
    var lastCommitted: Int64 { state.withLock { $0.lastCommitted } }

    /// Gives `message` the next `seq` and stages it with the open transaction.
    func stage(_ message: OutboxMessage) -> OutboxMessage {
        state.withLock { state in
            var message = message
            state.lastAssigned += 1
            message.seq = state.lastAssigned
            state.staged.append(message)
            return message
        }
    }

    /// `stage` of each message in order, under one lock.
    func stage(_ messages: [OutboxMessage]) -> [OutboxMessage] {
        var messages = messages
        state.withLock { state in
            for index in messages.indices {
                state.lastAssigned += 1
                messages[index].seq = state.lastAssigned
            }
            state.staged.append(contentsOf: messages)
        }
        return messages
    }

    /// Ends the open transaction: its messages become ready to publish, or are forgotten.
    func settle(committed: Bool) {
        state.withLock { state in
            defer { state.staged.removeAll(keepingCapacity: true) }
            guard committed else {
                state.lastAssigned = state.lastCommitted
                return
            }
            state.lastCommitted = state.lastAssigned
            guard !state.staged.isEmpty else { return }
            state.ready.append(contentsOf: state.staged)
            state.readyBytes += state.staged.reduce(0) { $0 + $1.value.count }
            // The publisher is behind (the broker slow or away): it reads what is dropped here
            // from the table, then takes the rest from memory.
            while state.readyStart < state.ready.count,
                  state.ready.count - state.readyStart > limitMessages || state.readyBytes > limitBytes {
                state.readyBytes -= state.ready[state.readyStart].value.count
                state.readyStart += 1
            }
            Self.compact(&state)
        }
    }

    /// Frees the slots of messages already dropped or published once they are most of the array.
    private static func compact(_ state: inout State) {
        if state.readyStart == state.ready.count {
            state.ready.removeAll(keepingCapacity: state.ready.count <= 8192)
            state.readyStart = 0
        } else if state.readyStart >= 4096, state.readyStart * 2 >= state.ready.count {
            state.ready.removeFirst(state.readyStart)
            state.readyStart = 0
        }
    }

    /// Up to `limit` committed messages right after `published`, in `seq` order: an empty
    /// array when nothing was committed after it, nil when the queue cannot tell (read the
    /// table instead). Messages up to `published` are dropped from the queue.
    func take(after published: Int64, limit: Int) -> [OutboxMessage]? {
        state.withLock { state in
            while state.readyStart < state.ready.count, state.ready[state.readyStart].seq <= published {
                state.readyBytes -= state.ready[state.readyStart].value.count
                state.readyStart += 1
            }
            Self.compact(&state)
            if state.ready.isEmpty {
                state.readyBytes = 0
                return state.lastCommitted == published ? [] : nil
            }
            guard state.ready[state.readyStart].seq == published + 1 else { return nil }
            let end = min(state.ready.count, state.readyStart + limit)
            return Array(state.ready[state.readyStart..<end])
        }
    }
}
