import CRdKafka

/// A topic to create: name, partition count, and topic-level configuration (retention, ...).
public struct NewTopic: Sendable, Hashable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    public var config: [String: String]

    public init(name: String, partitions: Int, replicationFactor: Int = 1, config: [String: String] = [:]) {
        self.name = name; self.partitions = partitions; self.replicationFactor = replicationFactor; self.config = config
    }
}

/// Topic administration through librdkafka's Admin API.
public final class KafkaAdmin: Sendable {
    private let handle: SendableHandle

    public init(configuration: KafkaConfiguration) throws(KafkaError) {
        let conf = try configuration.makeConf()
        self.handle = SendableHandle(try makeClient(type: RD_KAFKA_PRODUCER, conf: conf))
    }

    deinit { rd_kafka_destroy(handle.pointer) }

    /// Creates the topics that do not exist yet; an existing topic is not an error, so this is
    /// safe to run on every start. Returns the names it created.
    @discardableResult
    public func createTopics(_ topics: [NewTopic], timeoutMs: Int32 = 15_000) throws(KafkaError) -> [String] {
        guard !topics.isEmpty else { return [] }
        var errstr = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for topic in topics {
            guard let newTopic = rd_kafka_NewTopic_new(topic.name, Int32(topic.partitions), Int32(topic.replicationFactor),
                                                       &errstr, errstr.count) else {
                throw KafkaError.configuration("topic \(topic.name): \(errorText(errstr))")
            }
            for (key, value) in topic.config.sorted(by: { $0.key < $1.key }) {
                _ = rd_kafka_NewTopic_set_config(newTopic, key, value)
            }
            newTopics.append(newTopic)
        }
        let queue = rd_kafka_queue_new(handle.pointer)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle.pointer, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, &errstr, errstr.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(handle.pointer, buffer.baseAddress, buffer.count, options, queue)
        }
        guard let event = rd_kafka_queue_poll(queue, timeoutMs + 1000) else {
            throw KafkaError.timedOut("CreateTopics got no answer within \(timeoutMs) ms")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: eventError.rawValue, message: String(cString: rd_kafka_event_error_string(event)))
        }
        var count = 0
        let result = rd_kafka_event_CreateTopics_result(event)
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return [] }
        var created: [String] = []
        for index in 0..<count {
            let topicResult = results[index]
            let name = String(cString: rd_kafka_topic_result_name(topicResult))
            let err = rd_kafka_topic_result_error(topicResult)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                created.append(name)
            } else if err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                let text = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) } ?? ""
                throw KafkaError(code: err.rawValue, message: "create \(name): \(text)")
            }
        }
        return created
    }

    /// Every topic the broker knows, with its partition count.
    public func listTopics(timeoutMs: Int32 = 5000) throws(KafkaError) -> [String: Int] {
        try Metadata.topicNames(handle.pointer, timeoutMs: timeoutMs)
    }
}
