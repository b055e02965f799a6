/// Tuning of the runtime loop; the defaults suit a service on a small machine.
public struct RuntimeOptions: Sendable {
    public var brokers: String
    /// Records applied per SQLite transaction at most.
    public var batchSize: Int = 5000
    /// How long one poll waits for records when the topics are idle.
    public var pollTimeoutMs: Int32 = 50
    /// Outbox rows handed to the producer per acknowledged chunk.
    public var publishChunk: Int = 5000
    /// Published outbox rows are kept this long for audits, then pruned.
    public var outboxRetentionMs: Int64 = 24 * 3600 * 1000
    /// Applied event ids are recognised as duplicates this long (7 days), then pruned. Copies
    /// come from re-publishing after a crash, within minutes; older ones are caught by the
    /// domain's own keys (order, trade and command ids).
    public var inboxRetentionMs: Int64 = 7 * 24 * 3600 * 1000
    /// The largest encoded event the outbox accepts. librdkafka refuses to produce a message above
    /// its `message.max.bytes` (1,000,000 by default), and one such row would stop the publisher
    /// for good; the record that emits it is refused instead (`output-too-large`).
    public var maxEventBytes: Int = 900_000
    /// Pause before retrying a batch that failed to commit (a storage fault).
    public var retryBackoffMs: UInt32 = 500
    /// Extra librdkafka properties for both the consumer and the producer.
    public var kafkaProperties: [String: String] = [:]

    public init(brokers: String) { self.brokers = brokers }
}
