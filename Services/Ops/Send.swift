import ArgumentParser
import Contract
import Foundation
import Kafka

/// Wraps a command in an envelope, validates it exactly as the consuming service will, and
/// produces it to the topic the contract names for its type.
struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send a command: ecoctl send DepositFunds --field accountId=PWR-0001 --field amount=500000 --field reference=r-1",
        discussion: """
            The data is the envelope's `data` object (DESIGN.md section 4), from --file, --data, or --field \
            flags (values that parse as JSON numbers, booleans or arrays are sent as such, anything else as a \
            string). It is validated exactly as the consuming service will before sending; the event id is printed.
            """)
    @OptionGroup var broker: BrokerOptions
    @Argument(help: "The command or event type, e.g. RegisterEntity, SubmitOrder, DepositFunds.") var type: String
    @Option(help: "A file holding the JSON data object.") var file: String?
    @Option(help: "The JSON data object inline.") var data: String?
    @Option(name: .customLong("field"), help: "A data field as key=value (repeat for each field).") var fields: [String] = []
    @Option(help: "Correlation id to put on the envelope.") var correlationId: String?
    @Option(help: "Override the topic (default: the contract's topic for the type).") var topic: String?

    func validate() throws {
        let sources = [file != nil, data != nil, !fields.isEmpty].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of --file, --data or --field key=value") }
        for field in fields where !field.contains("=") || field.hasPrefix("=") {
            throw ValidationError("--field '\(field)' is not key=value")
        }
        guard PayloadCatalogue.all.contains(EventType(rawValue: type)) else {
            throw ValidationError("unknown type '\(type)'; known: \(PayloadCatalogue.all.eventTypes.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let json: Data
        if let file {
            guard let contents = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read \(file)") }
            json = contents
        } else if let data {
            json = Data(data.utf8)
        } else {
            json = try JSONSerialization.data(withJSONObject: Self.object(from: fields))
        }
        let (envelope, key) = try buildEnvelope(data: json)
        guard let destination = topic.map({ Topic(rawValue: $0) }) ?? PayloadCatalogue.topics(of: EventType(rawValue: type)).first else {
            throw CommandFailure("no topic carries \(type); pass --topic")
        }
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: broker.resolved, clientID: "ecoctl"))
        defer { producer.close() }
        try await producer.send([ProducerRecord(topic: destination.rawValue, key: Data(key.utf8), value: envelope.value,
                                                headers: [("type", Data(type.utf8)), ("version", Data("1".utf8))])])
        print(envelope.id)
    }

    /// `key=value` pairs as a JSON object: JSON literals (numbers, booleans, arrays, objects) keep
    /// their type, anything else is a string.
    static func object(from fields: [String]) -> [String: Any] {
        var object: [String: Any] = [:]
        for field in fields {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]), text = parts.count > 1 ? String(parts[1]) : ""
            if let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]), !(value is String) {
                object[key] = value
            } else {
                object[key] = text
            }
        }
        return object
    }

    /// The envelope bytes and partition key, after the same decoding and validation a consumer does.
    private func buildEnvelope(data: Data) throws -> (value: (id: String, value: Data), key: String) {
        guard let object = try? JSONSerialization.jsonObject(with: data), object is [String: Any] else {
            throw CommandFailure("the data must be a JSON object")
        }
        let id = UUID().lowercasedString
        var envelope: [String: Any] = ["id": id, "type": type, "version": 1, "occurredAt": Timestamp.now().description,
                                       "source": "ecoctl", "data": object]
        if let correlationId { envelope["correlationId"] = correlationId }
        let bytes = try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])
        do {
            let decoded = try EventCodec().decode(bytes, catalogue: .all)
            return ((id, bytes), decoded.payload.partitionKey)
        } catch {
            throw CommandFailure("\(type) refused: \(error.error.reason) [\(error.error.code)]")
        }
    }
}
