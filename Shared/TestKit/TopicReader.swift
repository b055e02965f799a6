import Contract
import Foundation
import Kafka
import Synchronization

/// One record read from a topic, with its envelope decoded when it is one of the contract's.
public struct ObservedRecord: Sendable {
    public var record: ConsumerRecord
    public var envelope: IncomingEnvelope?
    public var deadLetter: DeadLetter?

    public init(record: ConsumerRecord, envelope: IncomingEnvelope?, deadLetter: DeadLetter?) {
        self.record = record; self.envelope = envelope; self.deadLetter = deadLetter
    }

    public var type: String? { envelope?.type.rawValue ?? deadLetter.map { _ in DeadLetter.eventType } }
    public var id: String? { envelope?.id.lowercasedString ?? record.header("id").map { String(decoding: $0, as: UTF8.self) } }
    public func payload<P: EventPayload>(_: P.Type) -> P? { envelope?.payload(as: P.self) }
}

/// Reads every partition of a topic from the beginning on its own thread and keeps what it saw,
/// so a test can wait for an event by type and predicate.
public final class TopicReader: Sendable {
    public let topic: Topic
    private let consumer: KafkaConsumer
    private let seen = Mutex<[ObservedRecord]>([])
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    public init(brokers: String, topic: Topic, catalogue: PayloadCatalogue) throws {
        self.topic = topic
        consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: brokers, clientID: "testkit-reader"),
                                     groupID: "testkit-\(UUID().uuidString)")
        let partitions = try consumer.partitionCount(of: topic.rawValue)
        try consumer.assign((0..<Int32(partitions)).map {
            TopicPartitionOffset(topic: topic.rawValue, partition: $0, offset: TopicPartitionOffset.beginning)
        })
        let thread = Thread { [self] in
            let codec = EventCodec()
            while running.load(ordering: .acquiring) {
                let (records, _) = consumer.poll(maxRecords: 1000, timeoutMs: 50)
                guard !records.isEmpty else { continue }
                let observed = records.map { record in
                    if topic.isDeadLetter {
                        return ObservedRecord(record: record, envelope: nil,
                                              deadLetter: try? JSONDecoder().decode(DeadLetter.self, from: record.value))
                    }
                    return ObservedRecord(record: record, envelope: try? codec.decode(record.value, catalogue: catalogue), deadLetter: nil)
                }
                seen.withLock { $0.append(contentsOf: observed) }
            }
            finished.signal()
        }
        thread.start()
    }

    /// Everything read so far, per partition in offset order.
    public var records: [ObservedRecord] { seen.withLock { $0 } }

    /// Offsets this reader never saw between records it did see, per partition (the reader starts
    /// at each partition's beginning, and the project's topics are neither compacted nor written
    /// transactionally, so every offset holds a record). Empty when the read was complete: an
    /// audit that finds an answer missing can tell a record that never reached the broker from
    /// one its own fetch skipped.
    public var offsetGaps: [String] {
        Self.unreadOffsets(records.map { ($0.record.partition, $0.record.offset) }, topic: topic)
    }

    /// The offsets missing between `read` (in the order read, each partition from offset 0).
    static func unreadOffsets(_ read: [(partition: Int32, offset: Int64)], topic: Topic) -> [String] {
        var next: [Int32: Int64] = [:]
        var gaps: [String] = []
        for (partition, offset) in read {
            let expected = next[partition] ?? 0
            if offset > expected { gaps.append("\(topic)[\(partition)] offsets \(expected)..<\(offset) not read") }
            next[partition] = max(expected, offset + 1)
        }
        return gaps
    }

    /// Payloads of type `P` read so far, every copy included.
    public func payloads<P: EventPayload>(_: P.Type) -> [P] { records.compactMap { $0.payload(P.self) } }

    /// Payloads of type `P` read so far, one per event id: what a consumer that drops
    /// re-published copies by id (as every service does) takes in.
    public func distinctPayloads<P: EventPayload>(_: P.Type) -> [P] {
        var seen: Set<String> = []
        return records.compactMap { record in
            guard let payload = record.payload(P.self) else { return nil }
            if let id = record.id, !seen.insert(id).inserted { return nil }
            return payload
        }
    }

    /// Waits for the first record of type `P` matching `predicate`.
    @discardableResult
    public func await<P: EventPayload>(_: P.Type, timeout: Duration = .seconds(20),
                                        where predicate: @Sendable (P) -> Bool = { _ in true }) async throws -> P {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let match = records.lazy.compactMap({ $0.payload(P.self) }).first(where: predicate) { return match }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestKitError("no \(P.eventType) matching on \(topic) within \(timeout); saw \(records.count) record(s): \(records.compactMap(\.type).suffix(10))")
    }

    /// Waits until at least `count` records satisfy `predicate`; returns them.
    @discardableResult
    public func awaitCount(_ count: Int, timeout: Duration = .seconds(20),
                           where predicate: @Sendable (ObservedRecord) -> Bool = { _ in true }) async throws -> [ObservedRecord] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let matches = records.filter(predicate)
            if matches.count >= count { return matches }
            try await Task.sleep(for: .milliseconds(20))
        }
        let have = records.filter(predicate).count
        throw TestKitError("only \(have) of \(count) expected records on \(topic) within \(timeout)")
    }

    /// Waits for a dead letter matching `predicate` (for `.dlq` topics).
    @discardableResult
    public func awaitDeadLetter(timeout: Duration = .seconds(20),
                                where predicate: @Sendable (DeadLetter) -> Bool = { _ in true }) async throws -> DeadLetter {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let match = records.lazy.compactMap(\.deadLetter).first(where: predicate) { return match }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestKitError("no matching dead letter on \(topic) within \(timeout); saw \(records.count) record(s)")
    }

    public func close() {
        if running.exchange(false, ordering: .acquiringAndReleasing) {
            finished.wait()
            consumer.close()
        }
    }

    deinit { close() }
}
