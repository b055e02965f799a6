import Contract
import Foundation
import Kafka
import Synchronization

/// Reads `matching.events`, `settlement.events` and `registry.events` from their current end on
/// a thread of its own (a blocking poll must not hold a thread of the Swift concurrency pool)
/// and keeps what the measurement needs: counts of the watched types, each trade's two orders,
/// and the moment each trade's first `TradeSettled` was read.
///
/// During the load it can read `settlement.events` alone (`narrow`): a `TradeSettled` names its
/// trade's orders, and the other two topics carry about five of every seven records of the
/// saga, whose fetching and copying took CPU from the services being measured. `widen` goes back
/// to all three from where each partition was left, and `catchUp` reads them to their end, so
/// every count (trades, refusals) is the same as if they had been read all along.
final class Watcher: Sendable {
    /// What the watcher has seen; the main flow reads it under the lock.
    struct Seen: Sendable {
        var counts: [WatchedEvent: Int] = [:]
        /// tradeId -> (buy order id, sell order id)
        var trades: [String: (buy: String, sell: String)] = [:]
        /// tradeId -> monotonic nanoseconds when its first `TradeSettled` was read
        var settled: [String: UInt64] = [:]
        var lastReconciliation: ReconciliationCompleted?
        /// The next offset to read of every partition watched, read or not.
        var positions: [TopicPartition: Int64] = [:]

        func count(_ event: WatchedEvent) -> Int { counts[event, default: 0] }
    }

    /// A partition of one of the watched topics.
    struct TopicPartition: Hashable, Sendable {
        var topic: String
        var partition: Int32
    }

    private let consumer: KafkaConsumer
    private let decoder = EventDecoder(catalogue: WatchedEvent.decodedCatalogue)
    private let seen = Mutex(Seen())
    /// The topics to read from the next poll on, when they differ from what is assigned: set by
    /// `narrow` and `widen`, applied by the polling thread (which alone touches the consumer).
    private let requestedTopics = Mutex<[Topic]?>(nil)
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)
    static let allTopics: [Topic] = [.matchingEvents, .settlementEvents, .registryEvents]

    /// Assigns every partition of the three topics at its high watermark, so that only what
    /// happens from now on is counted.
    init(brokers: String) throws {
        // A 5 ms fetch wait, as the Python watcher had: the watcher's own fetch is part of every
        // latency sample, and the services' 20 ms would lengthen them.
        let configuration = KafkaConfiguration(brokers: brokers, clientID: "saga-load",
                                               properties: ["fetch.wait.max.ms": "5", "fetch.min.bytes": "1"])
        consumer = try KafkaConsumer(configuration: configuration, groupID: "saga-bench-\(UUID().uuidString.lowercased())",
                                     onlyHeader: "type")
        var positions: [TopicPartition: Int64] = [:]
        for topic in Self.allTopics {
            let partitions = try consumer.partitionCount(of: topic.rawValue, timeoutMs: 10_000)
            for partition in 0..<Int32(partitions) {
                let marks = try consumer.queryWatermarks(topic: topic.rawValue, partition: partition, timeoutMs: 10_000)
                positions[TopicPartition(topic: topic.rawValue, partition: partition)] = marks.high
            }
        }
        seen.withLock { $0.positions = positions }
        try consumer.assign(Self.assignment(of: Self.allTopics, at: positions))
    }

    func start() {
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) {
                if let topics = requestedTopics.withLock({ $0 }), reassign(to: topics) {
                    // Cleared only if no newer request came meanwhile; a failed one is tried again.
                    requestedTopics.withLock { if $0 == topics { $0 = nil } }
                }
                pollOnce()
            }
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

    /// Reads only `topics` from the next poll on, each partition from where it was left.
    func narrow(to topics: [Topic]) {
        requestedTopics.withLock { $0 = topics }
    }

    /// Reads all three topics again, each partition from where it was left.
    func widen() {
        requestedTopics.withLock { $0 = Self.allTopics }
    }

    /// Waits until every partition of the three topics has been read up to its end as it is
    /// now (call after `widen`), so that counts cover everything published so far.
    /// - Throws: `BenchFailure` after `timeout` seconds.
    func catchUp(brokers: String, timeout: Double) async throws {
        let ends = try Self.logEnds(brokers: brokers)
        let deadline = MonotonicClock.nanoseconds() + UInt64(timeout * 1e9)
        while true {
            let positions = seen.withLock { $0.positions }
            let behind = ends.filter { positions[$0.key, default: 0] < $0.value }
            if behind.isEmpty { return }
            if MonotonicClock.nanoseconds() > deadline {
                let names = behind.keys.map { "\($0.topic)[\($0.partition)]" }.sorted().joined(separator: ", ")
                throw BenchFailure("saga-bench: the watcher did not read \(names) to the end within \(timeout) s")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The high watermark of every partition of the three topics, read with a client of its own
    /// (the watcher's consumer belongs to its polling thread).
    private static func logEnds(brokers: String) throws -> [TopicPartition: Int64] {
        let configuration = KafkaConfiguration(brokers: brokers, clientID: "saga-load-ends")
        let client = try KafkaConsumer(configuration: configuration, groupID: "saga-bench-ends-\(UUID().uuidString.lowercased())")
        defer { client.close() }
        var ends: [TopicPartition: Int64] = [:]
        for topic in allTopics {
            let partitions = try client.partitionCount(of: topic.rawValue, timeoutMs: 10_000)
            for partition in 0..<Int32(partitions) {
                let marks = try client.queryWatermarks(topic: topic.rawValue, partition: partition, timeoutMs: 10_000)
                ends[TopicPartition(topic: topic.rawValue, partition: partition)] = marks.high
            }
        }
        return ends
    }

    private static func assignment(of topics: [Topic], at positions: [TopicPartition: Int64]) -> [TopicPartitionOffset] {
        let names = Set(topics.map(\.rawValue))
        return positions.filter { names.contains($0.key.topic) }
            .sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
            .map { TopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value) }
    }

    /// On the polling thread: assigns `topics` at the positions read so far. False (the
    /// assignment as it was, the error printed) when the consumer refused; the caller tries again.
    private func reassign(to topics: [Topic]) -> Bool {
        let positions = seen.withLock { $0.positions }
        do {
            try consumer.assign(Self.assignment(of: topics, at: positions))
            return true
        } catch {
            FileHandle.standardError.write(Data(utf8Of: "saga-bench: the watcher could not reassign its partitions: \(error)\n"))
            return false
        }
    }

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
        var read: [TopicPartition: Int64] = [:]
        let known = seen.withLock { $0.positions }
        for record in records {
            let partition = TopicPartition(topic: record.topic, partition: record.partition)
            // After a reassignment librdkafka may hand over again what it had fetched before.
            guard record.offset >= read[partition] ?? known[partition] ?? 0 else { continue }
            read[partition] = record.offset + 1
            guard let header = record.header("type"), let event = WatchedEvent(header: header) else { continue }
            switch event {
            case .tradeExecuted:
                guard let trade = decode(record, as: TradeExecuted.self) else { continue }
                trades.append((trade.tradeId, trade.buyOrderId, trade.sellOrderId))
            case .tradeSettled:
                guard let settlement = decode(record, as: TradeSettled.self) else { continue }
                settled.append(settlement.tradeId)
                if let buy = settlement.buyOrderId, let sell = settlement.sellOrderId {
                    trades.append((settlement.tradeId, buy, sell))
                }
            case .reconciliationCompleted:
                guard let completed = decode(record, as: ReconciliationCompleted.self) else { continue }
                reconciliation = completed
            default:
                break
            }
            counted[event, default: 0] += 1
        }
        seen.withLock { seen in
            for (partition, next) in read { seen.positions[partition] = max(seen.positions[partition, default: 0], next) }
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
