import Foundation

/// The value of a record on a `<topic>.dlq` topic: the original record, where it was, and why it
/// was refused, so an operator can fix and replay it.
public struct DeadLetter: Codable, Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: String?
    /// The original value as text when it was valid UTF-8, else base64 (see `valueEncoding`).
    public var value: String
    public var valueEncoding: String
    public var code: String
    public var reason: String
    public var consumer: String
    public var eventId: String?
    public var eventType: String?

    public static let eventType = "DeadLetter"

    public init(topic: String, partition: Int32, offset: Int64, key: Data?, value original: Data, error: ContractError,
                consumer: String, header: EnvelopeHeader?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key.flatMap { String(data: $0, encoding: .utf8) }
        if let text = String(data: original, encoding: .utf8) {
            value = text
            valueEncoding = "utf8"
        } else {
            value = original.base64EncodedString()
            valueEncoding = "base64"
        }
        code = error.code
        reason = error.reason
        self.consumer = consumer
        eventId = header?.id.uuidString.lowercased()
        eventType = header?.type.rawValue
    }

    /// The original bytes, for replay.
    public var originalValue: Data? {
        valueEncoding == "base64" ? Data(base64Encoded: value) : Data(value.utf8)
    }

    /// The dead letter's own id: one per source record, however often it is refused.
    public var id: UUID { DeterministicID.nameBased("dlq/\(topic)/\(partition)/\(offset)") }
}
