import Contract
import Foundation
import GRDB
import Kafka
import Logging
import Store
import Synchronization

/// The loop of DESIGN.md section 3, the same in every service: poll a batch, apply it in one
/// SQLite transaction with inbox de-duplication, outbox and offsets, then let the publisher send.
///
/// It runs on a dedicated thread because librdkafka's poll and SQLite's writes block.
public final class ServiceLoop: Sendable {
    public let handler: any EventHandler
    public let store: EventStore
    public let status: RuntimeStatus
    public let metrics: RuntimeMetrics
    let options: RuntimeOptions
    let logger: Logger
    let codec = EventCodec()
    let decoder: EventDecoder
    /// `handler.ignoredInputs` by topic name, read once.
    let ignoredInputs: [String: Set<EventType>]
    private let stopRequested = Atomic<Bool>(false)
    let publisher: OutboxPublisher

    public init(handler: any EventHandler, store: EventStore, options: RuntimeOptions, logger: Logger,
                metrics: RuntimeMetrics? = nil) {
        self.handler = handler
        self.store = store
        self.options = options
        self.logger = logger
        self.status = RuntimeStatus(service: handler.serviceName)
        self.decoder = EventDecoder(catalogue: handler.catalogue)
        self.ignoredInputs = Dictionary(uniqueKeysWithValues: handler.ignoredInputs.map { ($0.key.rawValue, $0.value) })
        let metrics = metrics ?? RuntimeMetrics(service: handler.serviceName)
        self.metrics = metrics
        self.publisher = OutboxPublisher(store: store, options: options, status: status, metrics: metrics, logger: logger)
    }

    /// Asks the loop to finish its current batch and return.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        publisher.wake()
    }

    var isStopping: Bool { stopRequested.load(ordering: .acquiring) }

    /// Runs on a new thread until `stop()` or task cancellation.
    public func run() async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let thread = Thread { [self] in
                    do {
                        try runBlocking()
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "\(handler.serviceName)-loop"
                thread.start()
            }
        } onCancel: {
            stop()
        }
    }

    /// The consumer's librdkafka properties: the operator's, then the handler's preferences
    /// (`EventHandler.consumerProperties`) for what the operator left unset; `KafkaConsumer`
    /// fills in the runtime's defaults after both.
    var consumerConfiguration: KafkaConfiguration {
        var kafka = KafkaConfiguration(brokers: options.brokers, clientID: handler.serviceName,
                                       properties: options.kafkaProperties)
        kafka["client.id"] = "\(handler.serviceName)-consumer"
        for (key, value) in handler.consumerProperties where kafka[key] == nil { kafka[key] = value }
        return kafka
    }

    /// The loop itself; blocks the calling thread.
    public func runBlocking() throws {
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, groupID: handler.serviceName,
                                         copiesHeaders: false)
        defer { consumer.close() }
        try publisher.start()
        defer { publisher.stop() }

        guard restoreHandler() else { return }
        guard var positions = assign(consumer) else { return }
        status.update { $0.assigned = true }
        logger.info("consuming", metadata: ["topics": "\(handler.inputTopics.map(\.rawValue))",
                                             "partitions": "\(positions.count)"])
        var lastLagCheck = ContinuousClock.now - .seconds(10)
        var lastTick = ContinuousClock.now
        var liveness = BrokerLiveness()
        var prefetched: PrefetchedBatch?
        var gaps = OffsetGaps()
        var logEnds = LogEndCheck()
        let decoder = self.decoder
        while !isStopping {
            let records: [ConsumerRecord], decoded: [Result<IncomingEnvelope, DecodeFailure>]
            if let batch = prefetched {
                (records, decoded, prefetched) = (batch.records, batch.decoded(), nil)
            } else {
                let polled = poll(consumer, timeoutMs: options.pollTimeoutMs)
                (records, decoded) = (polled, Self.decodeAll(polled, decoder))
            }
            if !records.isEmpty {
                // Whatever is already queued is decoded on another thread while this batch commits.
                let next = poll(consumer, timeoutMs: 0)
                if !next.isEmpty { prefetched = PrefetchedBatch(next) { Self.decodeAll($0, decoder) } }
                do {
                    let held = try apply(records, decoded: decoded, positions: &positions, gaps: &gaps)
                    status.update { $0.storageFault = nil }
                    publisher.wake()
                    if !held.isEmpty {
                        // The prefetched records follow the gap; the seek delivers them again.
                        prefetched = nil
                        refetch(after: held, consumer: consumer, positions: positions)
                    }
                } catch {
                    // The prefetched records were polled before the rewind, which delivers them again.
                    prefetched = nil
                    handleBatchFailure(error, consumer: consumer, positions: &positions)
                }
            }
            if let interval = handler.tickInterval, ContinuousClock.now - lastTick >= interval {
                lastTick = .now
                runTick()
            }
            if ContinuousClock.now - lastLagCheck > .milliseconds(250) {
                lastLagCheck = .now
                updateLag(consumer, positions: positions, logEnds: &logEnds)
            }
            if liveness.isDue, let probe = positions.keys.min() {
                probeBroker(consumer, partition: probe, liveness: &liveness)
            }
        }
        logger.info("stopping: batch finished, flushing the outbox")
    }

    /// One batch from the consumer (empty when nothing came within `timeoutMs`), errors logged.
    private func poll(_ consumer: KafkaConsumer, timeoutMs: Int32) -> [ConsumerRecord] {
        let (records, errors) = consumer.poll(maxRecords: options.batchSize, timeoutMs: timeoutMs)
        for error in errors { logger.warning("consumer error", metadata: ["error": "\(error)"]) }
        return records
    }

    /// Assigns every partition of the input topics at the offsets stored in SQLite, retrying
    /// while the broker or topics are not there yet. Nil when stopped first.
    private func assign(_ consumer: KafkaConsumer) -> [TopicPartition: Int64]? {
        var attempt = 0
        while !isStopping {
            do {
                let stored = try store.read(Offsets.load)
                var positions: [TopicPartition: Int64] = [:]
                for topic in handler.inputTopics {
                    let count = try consumer.partitionCount(of: topic.rawValue, timeoutMs: 2000)
                    for partition in 0..<Int32(count) {
                        let tp = TopicPartition(topic: topic.rawValue, partition: partition)
                        positions[tp] = stored[tp] ?? 0
                    }
                }
                try seek(consumer, to: positions)
                status.update { $0.brokerFault = nil }
                return positions
            } catch {
                attempt += 1
                status.update { $0.brokerFault = "cannot assign input partitions: \(error)" }
                if attempt == 1 || attempt % 20 == 0 {
                    logger.warning("waiting for broker and topics", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                }
                usleep(250_000)
            }
        }
        return nil
    }

    /// Rolls back to the stored offsets after a batch could not be committed, and waits.
    private func handleBatchFailure(_ error: any Error, consumer: KafkaConsumer, positions: inout [TopicPartition: Int64]) {
        metrics.batchFailures.increment()
        status.update { $0.storageFault = "batch not committed: \(error)" }
        logger.error("batch not committed; retrying from stored offsets", metadata: ["error": "\(error)"])
        usleep(options.retryBackoffMs * 1000)
        _ = restoreHandler()
        do {
            let stored = try store.read(Offsets.load)
            for tp in positions.keys { positions[tp] = stored[tp] ?? 0 }
            try seek(consumer, to: positions)
        } catch {
            logger.error("cannot rewind to stored offsets", metadata: ["error": "\(error)"])
        }
    }

    /// Seeks every input partition back to the offsets just committed, so that the records
    /// missing before a gap are fetched again (`OffsetGaps`).
    private func refetch(after held: [OffsetGap], consumer: KafkaConsumer, positions: [TopicPartition: Int64]) {
        metrics.offsetGapRefetches.increment(by: Int64(held.count))
        status.update { $0.offsetGapRefetches = ($0.offsetGapRefetches ?? 0) + Int64(held.count) }
        logger.warning("records missing from a fetch; fetching again from the stored offset",
                       metadata: ["gaps": "\(held.map(\.description))"])
        do {
            try seek(consumer, to: positions)
        } catch {
            logger.error("cannot seek back to the stored offsets", metadata: ["error": "\(error)"])
        }
    }

    /// Assigns every input partition at `positions`: the start, a rewind after a failed batch,
    /// and a refetch after a gap all go through here.
    private func seek(_ consumer: KafkaConsumer, to positions: [TopicPartition: Int64]) throws(KafkaError) {
        try consumer.assign(positions.sorted { $0.key < $1.key }.map {
            TopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value)
        })
    }

    /// Calls the handler's `restore`, retrying while the store cannot be read. False if stopped.
    func restoreHandler() -> Bool {
        while !isStopping {
            do {
                let started = ContinuousClock.now
                try handler.restore(from: EventStoreReader(store))
                let elapsed = (ContinuousClock.now - started).components
                logger.info("state restored from the store", metadata: [
                    "seconds": "\(String(format: "%.3f", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18))"])
                return true
            } catch {
                status.update { $0.storageFault = "cannot restore state: \(error)" }
                logger.error("restore failed; retrying", metadata: ["error": "\(error)"])
                usleep(options.retryBackoffMs * 1000)
            }
        }
        return false
    }

    /// One tick at the wall clock; a failed tick rolls back and restores the handler's memory.
    private func runTick() {
        do {
            try applyTick(at: Timestamp.now())
            publisher.wake()
        } catch {
            logger.error("tick failed", metadata: ["error": "\(error)"])
            _ = restoreHandler()
        }
    }

    /// The handler's tick at `now` in its own transaction; its events go to the outbox like any
    /// others, with ids derived from the tick's time.
    func applyTick(at now: Timestamp) throws {
        let header = EnvelopeHeader(id: DeterministicID.nameBased("tick/\(handler.serviceName)/\(now.millisecondsSinceEpoch)"),
                                    type: "Tick", version: 1, occurredAt: now, source: handler.serviceName)
        try store.write { db in
            var context = HandlerContext(db: db, input: header, topic: Topic("\(handler.serviceName).tick"),
                                         partition: 0, offset: 0, now: now)
            try handler.tick(context: &context)
            try handler.writeDeferred(db)
            for (index, event) in context.emitted.enumerated() {
                try appendToOutbox(event.payload, topic: event.topic,
                                   id: DeterministicID.derived(from: header.id, index: index, service: handler.serviceName),
                                   cause: nil, at: now, db: db)
            }
        }
    }

    /// Asks the broker for one input partition's watermarks (a real round trip, unlike the lag
    /// figures librdkafka caches from fetches). A stalled or unreachable broker keeps TCP
    /// connections open and librdkafka only times requests out after a minute, so without this
    /// the service would look ready while nothing moves.
    private func probeBroker(_ consumer: KafkaConsumer, partition: TopicPartition, liveness: inout BrokerLiveness) {
        do {
            _ = try consumer.queryWatermarks(topic: partition.topic, partition: partition.partition,
                                             timeoutMs: BrokerLiveness.probeTimeoutMs)
            if liveness.recordAnswer() {
                logger.info("broker answering again")
                status.update { $0.brokerFault = nil }
            }
        } catch {
            if liveness.recordSilence() {
                logger.warning("broker not answering; not ready until it does", metadata: ["error": "\(error)"])
                status.update { $0.brokerFault = "broker not answering: \(error)" }
                metrics.ready.set(0.0)
            }
        }
    }

    private func updateLag(_ consumer: KafkaConsumer, positions: [TopicPartition: Int64], logEnds: inout LogEndCheck) {
        var lag: [TopicPartition: Int64] = [:]
        var highs: [TopicPartition: Int64] = [:]
        for (tp, next) in positions {
            var high = consumer.cachedWatermarks(topic: tp.topic, partition: tp.partition).high
            if high < 0, let queried = try? consumer.queryWatermarks(topic: tp.topic, partition: tp.partition, timeoutMs: 500) {
                high = queried.high
            }
            highs[tp] = high
            lag[tp] = high < 0 ? -1 : max(0, high - next)
            metrics.setLag(lag[tp] ?? 0, topic: tp.topic, partition: tp.partition, service: handler.serviceName)
        }
        status.setLag(lag)
        let hadFault = logEnds.fault
        logEnds.check(positions: positions, logEnds: highs)
        let fault = logEnds.fault
        if fault != hadFault {
            // Logged when it starts and ends, not each time the log's end moves meanwhile.
            if let fault, hadFault == nil { logger.error("not ready: \(fault)") }
            if fault == nil { logger.info("the broker's logs reach the stored offsets again") }
            status.update { $0.offsetFault = fault }
        }
        let inboxIds = Int64(store.inbox.count), outboxIds = Int64(store.outbox.count)
        status.update { $0.inboxIds = inboxIds; $0.outboxIds = outboxIds }
        metrics.inboxIds.set(Double(inboxIds))
        metrics.outboxIds.set(Double(outboxIds))
        let ready = status.snapshot.ready
        metrics.ready.set(ready ? 1.0 : 0.0)
    }
}
