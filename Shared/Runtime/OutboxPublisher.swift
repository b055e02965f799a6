import Contract
import Foundation
import Kafka
import Logging
import Store
import Synchronization

/// Sends outbox rows in `seq` order with the idempotent producer, marks them published once
/// the broker acknowledged them, and retries until it did (DESIGN.md section 3, step 3).
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
    /// The `seq` through which every message is published, as this publisher last recorded it
    /// (nil until read from the table). Only this publisher moves it.
    private let publishedThrough = Mutex<Int64?>(nil)

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
        while true {
            let keepRunning = running.load(ordering: .acquiring)
            do {
                let sent = try publishChunk(producer)
                if failures > 0 { logger.info("publishing again after \(failures) failed attempt(s)") }
                failures = 0
                status.update { $0.publishFault = nil }
                if sent == 0 {
                    if !keepRunning { return }
                    _ = wakeUp.wait(timeout: .now() + .milliseconds(100))
                }
            } catch {
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

    /// Sends the next chunk and marks it; returns how many rows it published.
    private func publishChunk(_ producer: KafkaProducer) throws -> Int {
        let through = try publishedThrough.withLock { $0 } ?? store.read(Outbox.publishedThrough)
        // What the loop just committed is taken from memory; the table is read only when memory
        // cannot say (a backlog from before a restart, a queue dropped during a broker outage).
        let pending = try store.outbox.committedMessages(after: through, limit: options.publishChunk)
            ?? store.read { try Outbox.pending($0, after: through, limit: options.publishChunk) }
        let backlog = max(0, store.outbox.lastCommittedSeq - through)
        status.update { $0.outboxPending = backlog }
        metrics.outboxPending.set(Double(backlog))
        guard let last = pending.last else {
            publishedThrough.withLock { $0 = through }
            return 0
        }
        let started = ContinuousClock.now
        try producer.sendAndWait(pending.map { message in
            ProducerRecord(topic: message.topic, key: message.key, value: message.value,
                           headers: [("type", Data(message.eventType.utf8)), ("version", Data(String(message.version).utf8)),
                                     ("id", Data(message.eventId.utf8))])
        })
        do {
            try store.write { try store.outbox.markPublished($0, through: last.seq, at: Timestamp.now().millisecondsSinceEpoch) }
            publishedThrough.withLock { $0 = last.seq }
        } catch {
            // Whether the mark was kept is unknown until the table is read again.
            publishedThrough.withLock { $0 = nil }
            throw error
        }
        metrics.publishLatency.record(ContinuousClock.now - started)
        metrics.recordsOut.increment(by: Int64(pending.count))
        status.update { $0.recordsOut += Int64(pending.count) }
        return pending.count
    }

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
