import Contract
import Foundation
import Kafka
import Synchronization

/// Reads `matching.events`, `settlement.events` and `registry.events` from their current end on
/// a thread of its own (a blocking poll must not hold a thread of the Swift concurrency pool)
/// and keeps what the measurement needs: counts of the watched types, each trade's two orders,
/// and the moment each trade's first `TradeSettled` was read.
final class Watcher: Sendable {
    /// What the watcher has seen; the main flow reads it under the lock.
    struct Seen: Sendable {
        var counts: [WatchedEvent: Int] = [:]
        /// tradeId -> (buy order id, sell order id)
        var trades: [String: (buy: String, sell: String)] = [:]
        /// tradeId -> monotonic nanoseconds when its first `TradeSettled` was read
        var settled: [String: UInt64] = [:]
        var lastReconciliation: ReconciliationCompleted?

        func count(_ event: WatchedEvent) -> Int { counts[event, default: 0] }
    }

    private let consumer: KafkaConsumer
    private let decoder = EventDecoder(catalogue: WatchedEvent.decodedCatalogue)
    private let seen = Mutex(Seen())
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    /// Assigns every partition of the three topics at its high watermark, so that only what
    /// happens from now on is counted.
    init(brokers: String) throws {
        // A 5 ms fetch wait, as the Python watcher had: the watcher's own fetch is part of every
        // latency sample, and the services' 20 ms would lengthen them.
        let configuration = KafkaConfiguration(brokers: brokers, clientID: "saga-load",
                                               properties: ["fetch.wait.max.ms": "5", "fetch.min.bytes": "1"])
        consumer = try KafkaConsumer(configuration: configuration, groupID: "saga-bench-\(UUID().uuidString.lowercased())",
                                     onlyHeader: "type")
        var assignment: [TopicPartitionOffset] = []
        for topic in [Topic.matchingEvents, .settlementEvents, .registryEvents] {
            let partitions = try consumer.partitionCount(of: topic.rawValue, timeoutMs: 10_000)
            for partition in 0..<Int32(partitions) {
                let marks = try consumer.queryWatermarks(topic: topic.rawValue, partition: partition, timeoutMs: 10_000)
                assignment.append(TopicPartitionOffset(topic: topic.rawValue, partition: partition, offset: marks.high))
            }
        }
        try consumer.assign(assignment)
    }

    func start() {
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) { pollOnce() }
            finished.signal()
        }
        thread.name = "saga-watcher"
        thread.start()
    }

    /// Ends the polling thread and closes the consumer. Call once, after `start`.
    func stop() {
        running.store(false, ordering: .releasing)
        finished.wait()
        consumer.close()
    }

    /// A copy of everything seen so far.
    var snapshot: Seen { seen.withLock { $0 } }

    func count(_ event: WatchedEvent) -> Int { seen.withLock { $0.count(event) } }

    var settledCount: Int { seen.withLock { $0.settled.count } }

    /// One poll: at most 5,000 records, gathered first and merged under the lock once.
    private func pollOnce() {
        let records = consumer.poll(maxRecords: 5000, timeoutMs: 50).records
        guard !records.isEmpty else { return }
        // One clock read per batch: every record in it arrived with this fetch.
        let received = MonotonicClock.nanoseconds()
        var counted: [WatchedEvent: Int] = [:]
        var trades: [(id: String, buy: String, sell: String)] = []
        var settled: [String] = []
        var reconciliation: ReconciliationCompleted?
        for record in records {
            guard let header = record.header("type"), let event = WatchedEvent(header: header) else { continue }
            switch event {
            case .tradeExecuted:
                guard let trade = decode(record, as: TradeExecuted.self) else { continue }
                trades.append((trade.tradeId, trade.buyOrderId, trade.sellOrderId))
            case .tradeSettled:
                guard let settlement = decode(record, as: TradeSettled.self) else { continue }
                settled.append(settlement.tradeId)
            case .reconciliationCompleted:
                guard let completed = decode(record, as: ReconciliationCompleted.self) else { continue }
                reconciliation = completed
            default:
                break
            }
            counted[event, default: 0] += 1
        }
        guard !counted.isEmpty else { return }
        seen.withLock { seen in
            for (event, count) in counted { seen.counts[event, default: 0] += count }
            for trade in trades { seen.trades[trade.id] = (trade.buy, trade.sell) }
            for tradeId in settled where seen.settled[tradeId] == nil { seen.settled[tradeId] = received }
            if let reconciliation { seen.lastReconciliation = reconciliation }
        }
    }

    /// The payload of a watched record; nil (and not counted) when it does not decode, as the
    /// Python watcher counted only what it could parse.
    private func decode<P: EventPayload>(_ record: ConsumerRecord, as _: P.Type) -> P? {
        do {
            return try decoder.decode(record.value).payload(as: P.self)
        } catch {
            return nil
        }
    }
}

extension Watcher {
    /// Waits (polling every 20 ms) until `count` records of `event` have been read.
    /// - Throws: `BenchFailure` naming the step and every count so far after `timeout` seconds.
    func waitFor(_ event: WatchedEvent, count: Int, timeout: Double, what: String) async throws {
        let deadline = MonotonicClock.nanoseconds() + UInt64(timeout * 1e9)
        while self.count(event) < count {
            if MonotonicClock.nanoseconds() > deadline {
                let counts = snapshot.counts.sorted { $0.key.rawValue < $1.key.rawValue }
                    .map { "'\($0.key.rawValue)': \($0.value)" }.joined(separator: ", ")
                throw BenchFailure("saga-bench: \(what): saw \(self.count(event)) of \(count) \(event.rawValue) within \(timeout) s; counts {\(counts)}")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
