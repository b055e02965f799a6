import Contract
import Foundation
import Kafka

/// Produces commands (wrapped in envelopes) and raw records to a test broker.
public final class TopicWriter: Sendable {
    let producer: KafkaProducer
    private let codec = EventCodec()

    /// - Parameter properties: extra librdkafka properties (e.g. `message.max.bytes` to send
    ///   records larger than the default 1,000,000 bytes).
    public init(brokers: String, properties: [String: String] = [:]) throws {
        producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: brokers, clientID: "testkit-writer",
                                                                       properties: properties))
    }

    /// Sends `envelope` to `topic`, keyed by its payload's partition key; returns its id.
    @discardableResult
    public func send<P: EventPayload>(_ envelope: Envelope<P>, to topic: Topic) async throws -> UUID {
        try await producer.send([record(envelope, to: topic)])
        return envelope.id
    }

    /// Wraps `payload` in a new command envelope and sends it.
    @discardableResult
    public func send<P: EventPayload>(_ payload: P, to topic: Topic, source: String = "test") async throws -> UUID {
        try await send(Envelope(command: payload, source: source), to: topic)
    }

    /// Sends many envelopes in one acknowledged batch.
    public func sendAll<P: EventPayload>(_ envelopes: [Envelope<P>], to topic: Topic) async throws {
        try await producer.send(envelopes.map { record($0, to: topic) })
    }

    /// Sends prepared records (see `record(_:to:)`) in one acknowledged batch, in order.
    public func send(records: [ProducerRecord]) async throws {
        try await producer.send(records)
    }

    /// Sends bytes as they are: for malformed-input tests.
    public func sendRaw(_ value: Data, key: String?, to topic: Topic, headers: [(String, Data)] = []) async throws {
        try await producer.send([ProducerRecord(topic: topic.rawValue, key: key.map { Data($0.utf8) }, value: value, headers: headers)])
    }

    public func record<P: EventPayload>(_ envelope: Envelope<P>, to topic: Topic) -> ProducerRecord {
        ProducerRecord(topic: topic.rawValue, key: Data(envelope.data.partitionKey.utf8), value: codec.encode(envelope),
                       headers: [("type", Data(P.eventType.rawValue.utf8)), ("version", Data(String(envelope.header.version).utf8))])
    }

    public func close() { producer.close() }
}
