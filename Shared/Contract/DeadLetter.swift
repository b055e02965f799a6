import Crypto
import Foundation

/// The value of a record on a `<topic>.dlq` topic: the original record, where it was, and why it
/// was refused, so an operator can fix and replay it.
public struct DeadLetter: Codable, Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The original key as text, cut to its first `maxKeyBytes` (`keyTruncated`).
    public var key: String?
    /// The original value as text when it was valid UTF-8, else base64 (see `valueEncoding`).
    public var value: String
    public var valueEncoding: String
    public var code: String
    public var reason: String
    public var consumer: String
    public var eventId: String?
    public var eventType: String?
    /// Set when the original was longer than `maxValueBytes`: `value` then holds only its first
    /// bytes (base64), so the dead letter itself always fits on the broker. A letter that did not
    /// fit would block everything its service publishes after it.
    public var truncated: Bool?
    /// The original value's length and SHA-256 (hex), when truncated.
    public var originalBytes: Int?
    public var originalSHA256: String?
    /// Set when the original key was longer than `maxKeyBytes`: `key` then holds only its first
    /// bytes (and so does the letter's own record key), so that a hostile key cannot make the
    /// letter too large to publish.
    public var keyTruncated: Bool?

    public static let eventType = "DeadLetter"
    /// At most this much of the original is kept: escaped as JSON text it stays far below the
    /// broker's 1 MiB message limit.
    public static let maxValueBytes = 64 * 1024
    /// At most this much of the original key is kept: the contract's keys are ids of at most 64
    /// characters.
    public static let maxKeyBytes = 1024

    /// A record key as a letter, or a refusal of an unreadable record, carries it.
    public static func boundedKey(_ key: Data?) -> Data? {
        guard let key, key.count > maxKeyBytes else { return key }
        return Data(key.prefix(maxKeyBytes))
    }

    public init(topic: String, partition: Int32, offset: Int64, key: Data?, value original: Data, error: ContractError,
                consumer: String, header: EnvelopeHeader?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        if let key, key.count > Self.maxKeyBytes {
            // Cut anywhere, so read with repair: a scalar split at the cut becomes U+FFFD.
            self.key = String(decoding: key.prefix(Self.maxKeyBytes), as: UTF8.self)
            keyTruncated = true
        } else {
            self.key = key.flatMap { String(data: $0, encoding: .utf8) }
        }
        if original.count > Self.maxValueBytes {
            value = original.prefix(Self.maxValueBytes).base64EncodedString()
            valueEncoding = "base64"
            truncated = true
            originalBytes = original.count
            originalSHA256 = Self.sha256Hex(of: original)
        } else if let text = String(data: original, encoding: .utf8) {
            value = text
            valueEncoding = "utf8"
        } else {
            value = original.base64EncodedString()
            valueEncoding = "base64"
        }
        code = error.code
        reason = error.reason
        self.consumer = consumer
        eventId = header?.id.lowercasedString
        eventType = header?.type.rawValue
    }

    /// How a truncated letter names its original (and how a tool finds the letter of a record).
    public static func sha256Hex(of data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The original bytes, for replay; nil when the letter kept only the start of them.
    public var originalValue: Data? {
        if truncated == true { return nil }
        return valueEncoding == "base64" ? Data(base64Encoded: value) : Data(value.utf8)
    }

    /// The dead letter's own id: one per source record, however often it is refused.
    public var id: UUID { DeterministicID.nameBased("dlq/\(topic)/\(partition)/\(offset)") }
}
