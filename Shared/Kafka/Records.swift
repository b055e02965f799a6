import Foundation

/// A record to produce. `partition` nil lets librdkafka's partitioner pick by key.
public struct ProducerRecord: Sendable, Equatable {
    public var topic: String
    public var key: Data?
    public var value: Data
    public var headers: [(String, Data)]
    public var partition: Int32?

    public init(topic: String, key: Data?, value: Data, headers: [(String, Data)] = [], partition: Int32? = nil) {
        self.topic = topic; self.key = key; self.value = value; self.headers = headers; self.partition = partition
    }

    public static func == (a: ProducerRecord, b: ProducerRecord) -> Bool {
        a.topic == b.topic && a.key == b.key && a.value == b.value && a.partition == b.partition
            && a.headers.map(\.0) == b.headers.map(\.0) && a.headers.map(\.1) == b.headers.map(\.1)
    }
}

/// A consumed record, copied out of librdkafka's buffers.
public struct ConsumerRecord: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: Data?
    public var value: Data
    public var headers: [(String, Data)]
    /// Milliseconds since the epoch (CreateTime from the producer, or LogAppendTime), if set.
    public var timestampMs: Int64?

    public init(topic: String, partition: Int32, offset: Int64, key: Data?, value: Data,
                headers: [(String, Data)] = [], timestampMs: Int64? = nil) {
        self.topic = topic; self.partition = partition; self.offset = offset; self.key = key
        self.value = value; self.headers = headers; self.timestampMs = timestampMs
    }

    public func header(_ name: String) -> Data? { headers.last { $0.0 == name }?.1 }
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
}

/// A partition and where to start reading it.
public struct TopicPartitionOffset: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// The next offset to read; `TopicPartitionOffset.beginning` or `.end` for the log's edges.
    public var offset: Int64

    public static let beginning: Int64 = -2
    public static let end: Int64 = -1

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic; self.partition = partition; self.offset = offset
    }
}

/// The low and high watermarks of a partition: high minus a consumer's position is its lag.
public struct Watermarks: Sendable, Hashable {
    public var low: Int64
    public var high: Int64
}
