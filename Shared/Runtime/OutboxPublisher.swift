import Contract
import Foundation
import Kafka
import Logging
import Store
import Synchronization

/// Sends outbox rows in `seq` order with the idempotent producer, marks them published once
/// the broker acknowledged them, and retries until it did (DESIGN.md section 3, step 3).
///
/// The mark is written by the loop, in the transaction of its next batch (`pendingMark`,
/// `markWritten`), and by the publisher itself only when no batch came for a while. Writing it
/// in a transaction of its own made the publisher wait for the loop's batch (SQLite has one
/// writer) before it could send what the loop had just committed: a batch's time added to every
/// hop of the saga. A mark that lags the acknowledgement only means more copies re-sent after a
/// crash, which consumers drop by id, as they always did.
final class OutboxPublisher: Sendable {
    private let store: EventStore
    private let options: RuntimeOptions
    private let status: RuntimeStatus
    private let metrics: RuntimeMetrics
    private let logger: Logger
    private let wakeUp = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let producer = Mutex<KafkaProducer?>(nil)
    /// How far the broker acknowledged, and how far that is recorded. Only this publisher moves
    /// `acknowledged`; `marked` moves when a transaction that wrote a mark commits.
    private struct Progress {
        /// The `seq` through which every message is acknowledged (nil until read from the
        /// table, where it is the last mark).
        var acknowledged: Int64?
        /// The `seq` of the last mark known to be written.
        var marked: Int64 = 0
        /// Since when `acknowledged` is ahead of `marked`.
        var since: ContinuousClock.Instant?

        var unmarked: Int64? { acknowledged.flatMap { $0 > marked ? $0 : nil } }
    }

    private let progress = Mutex(Progress())
    /// How long an acknowledgement may wait for the loop's next batch to record it before the
    /// publisher records it in a transaction of its own.
    static let markDelayMs = 250

    init(store: EventStore, options: RuntimeOptions, status: RuntimeStatus, metrics: RuntimeMetrics, logger: Logger) {
        self.store = store; self.options = options; self.status = status; self.metrics = metrics; self.logger = logger
    }

    func start() throws {
        var configuration = KafkaConfiguration(brokers: options.brokers, clientID: "\(status.snapshot.service)-producer",
                                               properties: options.kafkaProperties)
        configuration["client.id"] = "\(status.snapshot.service)-producer"
        let kafkaProducer = try KafkaProducer(configuration: configuration)
        producer.withLock { $0 = kafkaProducer }
        running.store(true, ordering: .releasing)
        let thread = Thread { [self] in
            loop(kafkaProducer)
            finished.signal()
        }
        thread.name = "\(status.snapshot.service)-publisher"
        thread.start()
    }

    func wake() { wakeUp.signal() }

    /// Publishes what is pending (bounded by the producer's message timeout), then closes.
    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        wakeUp.signal()
        finished.wait()
        producer.withLock { $0?.close(); $0 = nil }
    }

    private func loop(_ producer: KafkaProducer) {
        var lastPrune = ContinuousClock.now
        var failures = 0
        var window = PublishWindow()
        while true {
            let keepRunning = running.load(ordering: .acquiring)
            do {
                let marked = try markAcknowledged(&window)
                let sent = try sendCommitted(producer, &window)
                if marked > 0 {
                    if failures > 0 { logger.info("publishing again after \(failures) failed attempt(s)") }
                    failures = 0
                    status.update { $0.publishFault = nil }
                }
                if marked == 0, sent == 0 {
                    if window.inFlight.isEmpty, !keepRunning {
                        try writeMarkIfOverdue(force: true)
                        return
                    }
                    // Woken by the loop's next commit or by a chunk's last acknowledgement.
                    _ = wakeUp.wait(timeout: .now() + .milliseconds(pendingMark() == nil ? 100 : Self.markDelayMs + 1))
                }
            } catch {
                // A chunk failed (or its mark could not be written): let every chunk in flight
                // finish, then send again from the last recorded mark. Chunks after the failed
                // one may have been delivered; they go out again with the same event ids, which
                // consumers drop as duplicates (as records after a failed one in a chunk always did).
                for chunk in window.inFlight { try? chunk.delivery.wait() }
                window = PublishWindow()
                failures += 1
                status.update { $0.publishFault = "outbox not published: \(error)" }
                if failures == 1 || failures % 20 == 0 {
                    logger.error("publish failed; will retry", metadata: ["error": "\(error)", "attempt": "\(failures)"])
                }
                if !keepRunning { return }
                _ = wakeUp.wait(timeout: .now() + .milliseconds(Int(min(2000, 100 * failures))))
            }
            if ContinuousClock.now - lastPrune > .seconds(60) {
                lastPrune = .now
                prune()
            }
        }
    }

    /// Takes every chunk at the head of the window whose records the broker all acknowledged, in
    /// order, as published; returns how many records that was. The mark goes into the loop's
    /// next batch (`pendingMark`), or is written here when none came within `markDelayMs`.
    /// - Throws: the delivery failure of the oldest chunk, or a failed mark.
    private func markAcknowledged(_ window: inout PublishWindow) throws -> Int {
        var marked = 0
        while let oldest = window.inFlight.first, let result = oldest.delivery.result {
            try result.get()
            window.inFlight.removeFirst()
            progress.withLock { progress in
                if progress.since == nil { progress.since = .now }
                progress.acknowledged = oldest.lastSeq
            }
            metrics.publishLatency.record(ContinuousClock.now - oldest.started)
            metrics.recordsOut.increment(by: Int64(oldest.count))
            status.update { $0.recordsOut += Int64(oldest.count) }
            marked += oldest.count
        }
        try writeMarkIfOverdue(force: false)
        let backlog = max(0, store.outbox.lastCommittedSeq - (progress.withLock { $0.acknowledged } ?? 0))
        status.update { $0.outboxPending = backlog }
        metrics.outboxPending.set(Double(backlog))
        return marked
    }

    /// Records the acknowledged `seq` in a transaction of its own when the loop has not done it
    /// within `markDelayMs` (or at once with `force`, when stopping).
    private func writeMarkIfOverdue(force: Bool) throws {
        let due = progress.withLock { progress -> Int64? in
            guard let unmarked = progress.unmarked, let since = progress.since else { return nil }
            return force || ContinuousClock.now - since >= .milliseconds(Self.markDelayMs) ? unmarked : nil
        }
        guard let due else { return }
        try store.write { try store.outbox.markPublished($0, through: due, at: Timestamp.now().millisecondsSinceEpoch) }
        markWritten(due)
    }

    /// The acknowledged `seq` for the loop to record in its batch, if it moved since the last
    /// recorded mark.
    func pendingMark() -> Int64? {
        progress.withLock { $0.unmarked }
    }

    /// `seq` was recorded as published (the transaction that wrote it committed).
    func markWritten(_ seq: Int64) {
        progress.withLock { progress in
            progress.marked = max(progress.marked, seq)
            progress.since = progress.unmarked == nil ? nil : .now
        }
    }

    /// Hands the producer what was committed after the last chunk sent; returns how many
    /// records it sent. With nothing in flight any chunk goes; a further chunk goes only while
    /// a backlog fills it (`PublishWindow.admits`), so light traffic still gathers into one
    /// request per round trip instead of many small ones.
    private func sendCommitted(_ producer: KafkaProducer, _ window: inout PublishWindow) throws -> Int {
        var sent = 0
        while window.inFlight.count < PublishWindow.maxChunks {
            let after: Int64
            if let last = window.sentThrough {
                after = last
            } else if let acknowledged = progress.withLock({ $0.acknowledged }) {
                after = acknowledged
            } else {
                // The table's mark is written: nothing of it is left to record.
                after = try store.read(Outbox.publishedThrough)
                progress.withLock { $0.acknowledged = after; $0.marked = max($0.marked, after) }
            }
            // What the loop just committed is taken from memory; the table is read only when
            // memory cannot say (a backlog from before a restart, a queue dropped in an outage).
            let pending: [OutboxMessage]
            if let handed = store.outbox.committedMessages(after: after, limit: options.publishChunk) {
                pending = handed
            } else {
                pending = try store.read { try Outbox.pending($0, after: after, limit: options.publishChunk) }
                metrics.outboxTableReads.increment()
                status.update { $0.outboxTableReads = ($0.outboxTableReads ?? 0) + 1 }
            }
            guard let last = pending.last, window.admits(pending.count, chunkLimit: options.publishChunk) else { break }
            let started = ContinuousClock.now
            let delivery = try producer.submit(pending.map(Self.record), onCompletion: { [wakeUp] in wakeUp.signal() })
            window.inFlight.append(PublishWindow.Chunk(lastSeq: last.seq, count: pending.count, delivery: delivery, started: started))
            window.sentThrough = last.seq
            sent += pending.count
        }
        return sent
    }

    /// The Kafka record of an outbox message, with the `type`, `version` and `id` headers that
    /// let a consumer route or skip it without parsing the value.
    ///
    /// On the publisher's per-record path: the header values are copied straight from each
    /// string's UTF-8 storage (`Data(string.utf8)` went through a generic sequence initialiser
    /// with a dynamic cast per call), and version 1's is built once.
    static func record(_ message: OutboxMessage) -> ProducerRecord {
        ProducerRecord(topic: message.topic, key: message.key, value: message.value,
                       headers: [("type", Data(utf8Of: message.eventType)),
                                 ("version", message.version == 1 ? versionOne : Data(utf8Of: String(message.version))),
                                 ("id", Data(utf8Of: message.eventId))])
    }

    private static let versionOne = Data("1".utf8)

    /// Drops published outbox rows and inbox ids older than their retention.
    private func prune() {
        let now = Timestamp.now().millisecondsSinceEpoch
        do {
            let (published, applied) = try store.write { db in
                (try store.outbox.prune(db, publishedBefore: now - options.outboxRetentionMs),
                 try store.inbox.prune(db, processedBefore: now - options.inboxRetentionMs))
            }
            if published + applied > 0 {
                logger.debug("pruned", metadata: ["outboxRows": "\(published)", "inboxIds": "\(applied)"])
            }
        } catch {
            logger.warning("prune failed", metadata: ["error": "\(error)"])
        }
    }
}

/// The chunks handed to the producer and not yet recorded as published, oldest first.
private struct PublishWindow {
    struct Chunk {
        let lastSeq: Int64
        let count: Int
        let delivery: Delivery
        let started: ContinuousClock.Instant
    }

    /// Chunks in flight at once under a backlog. With one, the publisher sat idle for a whole
    /// acknowledgement round trip per chunk while the loop went on committing, and fell behind.
    static let maxChunks = 4

    var inFlight: [Chunk] = []
    /// The `seq` of the last record handed to the producer (nil: continue from the last mark).
    var sentThrough: Int64?

    /// Whether a chunk of `count` records goes now: always when nothing is in flight; behind
    /// other chunks only when it is at least half full. Sending every small chunk at once was
    /// measured: under the saga's steady trickle it multiplied produce requests and "published"
    /// marks, cost CPU in every service and the broker, and raised latency instead of lowering it.
    func admits(_ count: Int, chunkLimit: Int) -> Bool {
        inFlight.isEmpty || count * 2 >= chunkLimit
    }
}
