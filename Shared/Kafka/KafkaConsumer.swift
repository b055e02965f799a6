import CRdKafka
import Foundation
import Synchronization

/// A batch-polling consumer for one dedicated thread.
///
/// Services assign partitions by hand and seek to the offsets they keep in SQLite (DESIGN.md
/// section 3), so nothing is committed to the broker and no group rebalance ever waits.
/// `subscribe` is there for tools that want a consumer group.
public final class KafkaConsumer: Sendable {
    private let handle: SendableHandle
    private let queue: SendableHandle
    private let closed = Atomic<Bool>(false)
    private let topicNames = Mutex<[UInt: String]>([:])
    private let copiesHeaders: Bool
    private let onlyHeader: String?

    /// - Parameter copiesHeaders: whether polled records carry their headers. The service loop
    ///   reads everything it needs from the envelope in the value, and copying three headers
    ///   into Swift strings and `Data` for every record was a visible part of its poll.
    /// - Parameter onlyHeader: with `copiesHeaders`, copy only the last header of this name (a
    ///   reader that routes by `type` alone: the saga bench's watcher spent an eighth of its CPU
    ///   copying the other two).
    public init(configuration: KafkaConfiguration, groupID: String, copiesHeaders: Bool = true,
                onlyHeader: String? = nil) throws(KafkaError) {
        self.copiesHeaders = copiesHeaders
        self.onlyHeader = onlyHeader
        var configuration = configuration
        let defaults = [
            "group.id": groupID,
            "enable.auto.commit": "false",
            "enable.auto.offset.store": "false",
            "enable.partition.eof": "false",
            "auto.offset.reset": "earliest",
            "session.timeout.ms": "6000",
            "heartbeat.interval.ms": "500",
            "fetch.wait.max.ms": "20",
            "queued.min.messages": "200000",
        ]
        for (key, value) in defaults where configuration[key] == nil { configuration[key] = value }
        let conf = try configuration.makeConf()
        let client = try makeClient(type: RD_KAFKA_CONSUMER, conf: conf)
        rd_kafka_poll_set_consumer(client)
        guard let queue = rd_kafka_queue_get_consumer(client) else {
            rd_kafka_destroy(client)
            throw KafkaError.configuration("no consumer queue")
        }
        self.handle = SendableHandle(client)
        self.queue = SendableHandle(queue)
    }

    /// Reads exactly these partitions from these offsets (replacing any earlier assignment).
    public func assign(_ partitions: [TopicPartitionOffset]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for partition in partitions {
            let element = rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition)
            element?.pointee.offset = partition.offset
        }
        let err = rd_kafka_assign(handle.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, context: "assign") }
    }

    /// Joins the consumer group `group.id` for these topics (broker-managed assignment).
    public func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
        let err = rd_kafka_subscribe(handle.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, context: "subscribe") }
    }

    /// Blocks up to `timeoutMs` for up to `maxRecords` records. Errors the broker reports for a
    /// partition come back beside the records rather than aborting the batch.
    public func poll(maxRecords: Int, timeoutMs: Int32) -> (records: [ConsumerRecord], errors: [KafkaError]) {
        guard !closed.load(ordering: .acquiring) else { return ([], []) }
        let messages = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maxRecords)
        defer { messages.deallocate() }
        // consume_batch waits its whole timeout unless the batch fills, so take what is already
        // queued without waiting, and block (for one record) only when nothing is there.
        var count = rd_kafka_consume_batch_queue(queue.pointer, 0, messages, maxRecords)
        if count == 0 {
            count = rd_kafka_consume_batch_queue(queue.pointer, timeoutMs, messages, 1)
            if count == 1 {
                let more = rd_kafka_consume_batch_queue(queue.pointer, 0, messages + 1, maxRecords - 1)
                if more > 0 { count += more }
            }
        }
        guard count > 0 else {
            return ([], count < 0 ? [KafkaError(rd_kafka_last_error(), context: "consume")] : [])
        }
        var records: [ConsumerRecord] = []
        records.reserveCapacity(count)
        var errors: [KafkaError] = []
        for index in 0..<count {
            guard let message = messages[index] else { continue }
            defer { rd_kafka_message_destroy(message) }
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                records.append(copy(message))
            } else if err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                let text = message.pointee.payload.map {
                    String(decoding: UnsafeRawBufferPointer(start: $0, count: message.pointee.len), as: UTF8.self)
                } ?? ""
                errors.append(KafkaError(code: err.rawValue, message: text.isEmpty ? String(cString: rd_kafka_err2str(err)) : text))
            }
        }
        return (records, errors)
    }

    /// The number of partitions of `topic`, from broker metadata.
    public func partitionCount(of topic: String, timeoutMs: Int32 = 5000) throws(KafkaError) -> Int {
        try Metadata.partitionCount(handle.pointer, topic: topic, timeoutMs: timeoutMs)
    }

    /// Asks the broker for a partition's current watermarks (blocking, up to `timeoutMs`).
    public func queryWatermarks(topic: String, partition: Int32, timeoutMs: Int32 = 5000) throws(KafkaError) -> Watermarks {
        var low: Int64 = 0, high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(handle.pointer, topic, partition, &low, &high, timeoutMs)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, context: "watermarks of \(topic)[\(partition)]") }
        return Watermarks(low: low, high: high)
    }

    /// The watermarks librdkafka last saw in a fetch response (no network call); `high` is -1
    /// until the first fetch of that partition.
    public func cachedWatermarks(topic: String, partition: Int32) -> Watermarks {
        var low: Int64 = -1, high: Int64 = -1
        _ = rd_kafka_get_watermark_offsets(handle.pointer, topic, partition, &low, &high)
        return Watermarks(low: low, high: high)
    }

    /// Leaves the group (if any) and destroys the handle. Call once, from the polling thread's owner.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        rd_kafka_queue_destroy(queue.pointer)
        _ = rd_kafka_consumer_close(handle.pointer)
        rd_kafka_destroy(handle.pointer)
    }

    private func copy(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> ConsumerRecord {
        let m = message.pointee
        let value = m.payload.map { Data(bytes: $0, count: m.len) } ?? Data()
        let key = m.key.map { Data(bytes: $0, count: m.key_len) }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        return ConsumerRecord(topic: topicName(m.rkt), partition: m.partition, offset: m.offset, key: key, value: value,
                              headers: copiesHeaders ? headers(of: message) : [],
                              timestampMs: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp)
    }

    private func topicName(_ rkt: OpaquePointer?) -> String {
        guard let rkt else { return "" }
        let key = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(rkt)))
        if let cached = topicNames.withLock({ $0[key] }) { return cached }
        let name = String(cString: rd_kafka_topic_name(rkt))
        topicNames.withLock { $0[key] = name }
        return name
    }

    private func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [(String, Data)] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        if let onlyHeader {
            var value: UnsafeRawPointer?
            var size = 0
            guard rd_kafka_header_get_last(list, onlyHeader, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR else { return [] }
            return [(onlyHeader, value.map { Data(bytes: $0, count: size) } ?? Data())]
        }
        var result: [(String, Data)] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            if let name { result.append((String(cString: name), value.map { Data(bytes: $0, count: size) } ?? Data())) }
            index += 1
        }
        return result
    }
}

enum Metadata {
    static func partitionCount(_ client: OpaquePointer, topic: String, timeoutMs: Int32) throws(KafkaError) -> Int {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(client, 1, nil, &metadata, timeoutMs)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(err, context: "metadata") }
        defer { rd_kafka_metadata_destroy(metadata) }
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let entry = metadata.pointee.topics[index]
            guard String(cString: entry.topic) == topic else { continue }
            if entry.err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(entry.err, context: "topic \(topic)") }
            return Int(entry.partition_cnt)
        }
        throw KafkaError(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, context: "topic \(topic)")
    }

    static func topicNames(_ client: OpaquePointer, timeoutMs: Int32) throws(KafkaError) -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(client, 1, nil, &metadata, timeoutMs)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(err, context: "metadata") }
        defer { rd_kafka_metadata_destroy(metadata) }
        var result: [String: Int] = [:]
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let entry = metadata.pointee.topics[index]
            result[String(cString: entry.topic)] = Int(entry.partition_cnt)
        }
        return result
    }
}
