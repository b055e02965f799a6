import Contract
import Foundation
import Kafka
import Synchronization

/// Produces the benchmark's commands as the services' clients do: contract envelopes encoded by
/// `EventCodec`, keyed by the payload's partition key, with the `type` and `version` headers.
///
/// The producer is idempotent with lz4 and a 1 ms linger, the settings of the Python generator
/// this replaced, so that the records reach the broker in the same shape.
final class CommandSender: Sendable {
    private let producer: KafkaProducer
    private let codec = EventCodec()
    /// Every submitted batch's delivery, checked at each flush: an order that never reached the
    /// broker would otherwise show up only as a trade that never settled.
    private let deliveries = Mutex<[Delivery]>([])

    init(brokers: String) throws {
        producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: brokers, clientID: "saga-load", properties: [
            "linger.ms": "1",
            "batch.num.messages": "10000",
            "queue.buffering.max.messages": "2000000",
            "enable.idempotence": "true",
            "compression.type": "lz4",
            // librdkafka's default, as the Python client had it (the wrapper's is 30 s).
            "message.timeout.ms": "300000",
        ]))
    }

    /// A new command envelope for `payload` as a record for `topic`.
    func record<P: EventPayload>(_ payload: P, to topic: Topic, source: String = "bench") -> ProducerRecord {
        let envelope = Envelope(command: payload, source: source)
        return ProducerRecord(topic: topic.rawValue, key: Data(utf8Of: payload.partitionKey), value: codec.encode(envelope),
                              headers: [("type", Data(utf8Of: P.eventType.rawValue)),
                                        ("version", Data(utf8Of: String(envelope.header.version)))])
    }

    /// Hands `records` to librdkafka in order without waiting; the returned delivery completes
    /// once the broker has acknowledged all of them.
    @discardableResult
    func submit(_ records: ArraySlice<ProducerRecord>) throws -> Delivery {
        let delivery = try producer.submit(Array(records))
        deliveries.withLock { $0.append(delivery) }
        return delivery
    }

    func send<P: EventPayload>(_ payloads: [P], to topic: Topic) throws {
        try submit(ArraySlice(payloads.map { record($0, to: topic) }))
    }

    /// Waits until everything submitted is acknowledged.
    /// - Throws: `BenchFailure` when the broker did not take every record within `seconds`.
    func flush(seconds: Int32) throws(BenchFailure) {
        do {
            try producer.flush(timeoutMs: seconds * 1000)
        } catch {
            throw BenchFailure("saga-bench: the broker did not acknowledge every command within \(seconds) s: \(error)")
        }
        let submitted = deliveries.withLock { delivered in
            defer { delivered.removeAll(keepingCapacity: true) }
            return delivered
        }
        for delivery in submitted {
            if case .failure(let error)? = delivery.result { throw BenchFailure("saga-bench: a command was not delivered: \(error)") }
        }
    }

    func close() { producer.close() }
}
