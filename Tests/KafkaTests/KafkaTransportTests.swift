import EcoTestKit
import Foundation
import Kafka
import Synchronization
import Testing

/// The librdkafka wrapper against a real Tansu broker started for each test.
@Suite("Kafka transport", .serialized)
struct KafkaTransportTests {
    @Test func theLinkedLibrdkafkaIsTheNewerRuntime() {
        // Debian's 2.0.2 cannot talk to Tansu; the test command puts 2.16 on LD_LIBRARY_PATH.
        #expect(librdkafkaVersion.hasPrefix("2.1"), "linked librdkafka \(librdkafkaVersion)")
    }

    @Test func theTestBrokerRunsOneTokioWorkerUnlessToldOtherwise() throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(broker.processIdentifier)/environ"))
        let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        let expected = ProcessInfo.processInfo.environment["TOKIO_WORKER_THREADS"] ?? "1"
        #expect(variables.contains("TOKIO_WORKER_THREADS=\(expected)"))
    }

    @Test func producedRecordsAreConsumedWithKeysHeadersAndOrderPerPartition() throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.brokers))
        try admin.createTopics([NewTopic(name: "t", partitions: 3)])
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: broker.brokers))
        defer { producer.close() }
        let records = (0..<300).map { index in
            ProducerRecord(topic: "t", key: Data("k\(index % 7)".utf8), value: Data("v\(index)".utf8),
                           headers: [("type", Data("Test".utf8)), ("n", Data(String(index).utf8))])
        }
        try producer.sendAndWait(records)

        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: broker.brokers), groupID: "g")
        defer { consumer.close() }
        #expect(try consumer.partitionCount(of: "t") == 3)
        try consumer.assign((0..<3).map { TopicPartitionOffset(topic: "t", partition: $0, offset: TopicPartitionOffset.beginning) })
        var seen: [ConsumerRecord] = []
        let deadline = Date().addingTimeInterval(20)
        while seen.count < 300, Date() < deadline {
            seen += consumer.poll(maxRecords: 500, timeoutMs: 100).records
        }
        #expect(seen.count == 300)
        #expect(seen.allSatisfy { $0.header("type") == Data("Test".utf8) && $0.timestampMs != nil })
        // Records of one key land on one partition, in the order produced.
        for key in 0..<7 {
            let ofKey = seen.filter { $0.keyString == "k\(key)" }
            #expect(Set(ofKey.map(\.partition)).count == 1)
            let numbers = ofKey.compactMap { $0.header("n").flatMap { Int(String(decoding: $0, as: UTF8.self)) } }
            #expect(numbers == numbers.sorted())
        }
        // Tansu reports the high watermark as the last batch's base offset + 1 (not the next
        // offset, as Apache Kafka does), so only "moved past the start" holds on both brokers.
        for partition in Set(seen.map(\.partition)) {
            let marks = try consumer.queryWatermarks(topic: "t", partition: partition)
            let last = seen.filter { $0.partition == partition }.map(\.offset).max() ?? 0
            #expect(marks.high >= 1 && marks.high <= last + 1)
        }
    }

    @Test func aConsumerThatSkipsHeadersStillReadsKeysValuesAndTimestamps() throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.brokers)).createTopics([NewTopic(name: "h", partitions: 1)])
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: broker.brokers))
        defer { producer.close() }
        try producer.sendAndWait((0..<5).map {
            ProducerRecord(topic: "h", key: Data("k".utf8), value: Data("v\($0)".utf8), headers: [("type", Data("T".utf8))])
        })
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: broker.brokers), groupID: "gh",
                                         copiesHeaders: false)
        defer { consumer.close() }
        try consumer.assign([TopicPartitionOffset(topic: "h", partition: 0, offset: TopicPartitionOffset.beginning)])
        var seen: [ConsumerRecord] = []
        let deadline = Date().addingTimeInterval(10)
        while seen.count < 5, Date() < deadline { seen += consumer.poll(maxRecords: 100, timeoutMs: 100).records }
        #expect(seen.map { String(decoding: $0.value, as: UTF8.self) } == ["v0", "v1", "v2", "v3", "v4"])
        #expect(seen.allSatisfy { $0.headers.isEmpty && $0.keyString == "k" && $0.timestampMs != nil && $0.topic == "h" })
    }

    /// A reader that routes by one header copies that one only: the last of its name, as
    /// `header(_:)` reads it; records without it carry none.
    @Test func aConsumerOfOneHeaderCopiesOnlyTheLastOfThatName() throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.brokers)).createTopics([NewTopic(name: "o", partitions: 1)])
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: broker.brokers))
        defer { producer.close() }
        try producer.sendAndWait([
            ProducerRecord(topic: "o", key: nil, value: Data("a".utf8),
                           headers: [("type", Data("First".utf8)), ("id", Data("1".utf8)), ("type", Data("Last".utf8))]),
            ProducerRecord(topic: "o", key: nil, value: Data("b".utf8), headers: [("id", Data("2".utf8))]),
            ProducerRecord(topic: "o", key: nil, value: Data("c".utf8), headers: [("type", Data("".utf8))]),
        ])
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: broker.brokers), groupID: "go",
                                         onlyHeader: "type")
        defer { consumer.close() }
        try consumer.assign([TopicPartitionOffset(topic: "o", partition: 0, offset: TopicPartitionOffset.beginning)])
        var seen: [ConsumerRecord] = []
        let deadline = Date().addingTimeInterval(10)
        while seen.count < 3, Date() < deadline { seen += consumer.poll(maxRecords: 100, timeoutMs: 100).records }
        #expect(seen.count == 3)
        #expect(seen.map(\.headers.count) == [1, 0, 1])
        #expect(seen.first?.header("type") == Data("Last".utf8))
        #expect(seen.last?.header("type") == Data())
    }

    @Test func assigningAtAStoredOffsetResumesThere() throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.brokers)).createTopics([NewTopic(name: "one", partitions: 1)])
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: broker.brokers))
        defer { producer.close() }
        try producer.sendAndWait((0..<10).map { ProducerRecord(topic: "one", key: nil, value: Data("\($0)".utf8)) })
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: broker.brokers), groupID: "g2")
        defer { consumer.close() }
        try consumer.assign([TopicPartitionOffset(topic: "one", partition: 0, offset: 6)])
        var seen: [ConsumerRecord] = []
        let deadline = Date().addingTimeInterval(10)
        while seen.count < 4, Date() < deadline { seen += consumer.poll(maxRecords: 100, timeoutMs: 100).records }
        #expect(seen.map(\.offset) == [6, 7, 8, 9])
        #expect(seen.map { String(decoding: $0.value, as: UTF8.self) } == ["6", "7", "8", "9"])
    }

    @Test func creatingTopicsTwiceIsNotAnError() throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.brokers))
        let first = try admin.createTopics([NewTopic(name: "a", partitions: 2), NewTopic(name: "b", partitions: 1)])
        let second = try admin.createTopics([NewTopic(name: "a", partitions: 2)])
        #expect(Set(first) == ["a", "b"])
        #expect(second.isEmpty)
        let topics = try admin.listTopics()
        #expect(topics["a"] == 2 && topics["b"] == 1)
    }

    @Test func anAsyncSendCompletesAfterAcknowledgement() async throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.brokers)).createTopics([NewTopic(name: "x", partitions: 1)])
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: broker.brokers))
        defer { producer.close() }
        try await producer.send([ProducerRecord(topic: "x", key: nil, value: Data("hello".utf8))])
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: broker.brokers), groupID: "g3")
        defer { consumer.close() }
        #expect(try consumer.queryWatermarks(topic: "x", partition: 0).high == 1)
    }

    @Test func aBadPropertyIsATypedErrorWithLibrdkafkasText() {
        #expect {
            _ = try KafkaProducer(configuration: KafkaConfiguration(brokers: "127.0.0.1:1", properties: ["no.such.property": "1"]))
        } throws: { error in
            guard let kafkaError = error as? KafkaError else { return false }
            return kafkaError.message.contains("no.such.property")
        }
    }

    @Test func submittedBatchesAreInFlightTogetherAndArriveInSubmissionOrder() throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.brokers)).createTopics([NewTopic(name: "w", partitions: 1)])
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: broker.brokers))
        defer { producer.close() }
        let completions = Mutex(0)
        let deliveries = try (0..<4).map { chunk in
            try producer.submit((0..<250).map { ProducerRecord(topic: "w", key: nil, value: Data("\(chunk * 250 + $0)".utf8)) },
                                onCompletion: { completions.withLock { $0 += 1 } })
        }
        for delivery in deliveries { try delivery.wait() }
        #expect(deliveries.allSatisfy { if case .success? = $0.result { true } else { false } })
        #expect(completions.withLock { $0 } == 4)
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: broker.brokers), groupID: "gw")
        defer { consumer.close() }
        try consumer.assign([TopicPartitionOffset(topic: "w", partition: 0, offset: TopicPartitionOffset.beginning)])
        var seen: [ConsumerRecord] = []
        let deadline = Date().addingTimeInterval(10)
        while seen.count < 1000, Date() < deadline { seen += consumer.poll(maxRecords: 1000, timeoutMs: 100).records }
        #expect(seen.map { Int(String(decoding: $0.value, as: UTF8.self)) } == Array(0..<1000))
    }

    @Test func aSubmittedBatchToAMissingTopicCompletesWithTheFailure() throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        let producer = try KafkaProducer(configuration: KafkaConfiguration(
            brokers: broker.brokers, properties: ["message.timeout.ms": "2000", "allow.auto.create.topics": "false"]))
        defer { producer.close(flushTimeoutMs: 100) }
        let delivery = try producer.submit([ProducerRecord(topic: "nowhere", key: nil, value: Data("x".utf8), partition: 5)])
        #expect(throws: KafkaError.self) { try delivery.wait() }
        #expect(delivery.result.map { if case .failure = $0 { true } else { false } } == true)
    }

    @Test func deliveryToAMissingTopicFailsWithAReason() throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        let producer = try KafkaProducer(configuration: KafkaConfiguration(
            brokers: broker.brokers, properties: ["message.timeout.ms": "2000", "allow.auto.create.topics": "false"]))
        defer { producer.close(flushTimeoutMs: 100) }
        #expect(throws: KafkaError.self) {
            try producer.sendAndWait([ProducerRecord(topic: "nowhere", key: nil, value: Data("x".utf8), partition: 5)])
        }
    }
}
