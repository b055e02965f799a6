import Contract
import Foundation

/// A family of bad input, so a report can say which kinds of hostility a service survived and a
/// caller can choose the ones it wants (a struct around a string: new categories are additive).
public struct HostileCategory: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// A valid envelope cut short at a random byte.
    public static let truncatedJSON = HostileCategory(rawValue: "truncated-json")
    /// Text that is not JSON at all, or JSON that is not an object (trailing commas, comments, `null`).
    public static let invalidJSON = HostileCategory(rawValue: "invalid-json")
    /// A valid envelope with bytes that are not UTF-8 spliced into a string.
    public static let invalidUTF8 = HostileCategory(rawValue: "invalid-utf8")
    /// A string field far beyond the contract's limits (up to the corpus's `maxRecordBytes`).
    public static let hugeString = HostileCategory(rawValue: "huge-string")
    /// 10,000 levels of `[` or `{`, balanced or not, at the root or inside `data`.
    public static let deepNesting = HostileCategory(rawValue: "deep-nesting")
    /// A field of the wrong JSON type, a missing required field, or an unknown enumeration value.
    public static let wrongType = HostileCategory(rawValue: "wrong-type")
    /// Numbers no field can hold: 1e400, 99999999999999999999, NaN, Infinity, fractions for integers.
    public static let badNumber = HostileCategory(rawValue: "bad-number")
    /// Zero and negative quantities, amounts and prices.
    public static let nonPositiveQuantity = HostileCategory(rawValue: "non-positive-quantity")
    /// A readable envelope whose `type` no consumer knows.
    public static let unknownType = HostileCategory(rawValue: "unknown-type")
    /// A known type under a major `version` the consumers do not support.
    public static let unknownVersion = HostileCategory(rawValue: "unknown-version")
    /// Valid JSON and a valid payload that the business must refuse: unknown accounts, withdrawals
    /// over the balance, a reused bank reference, trading against oneself.
    public static let businessNonsense = HostileCategory(rawValue: "business-nonsense")
    /// An envelope id sent again, as an exact copy or with different content: dropped by id.
    public static let replay = HostileCategory(rawValue: "replay")
    /// A copy of a command with an invalid field, sent ahead of the intact command under the same
    /// id: the copy is refused, and the intact command is still applied and answered.
    public static let malformedAhead = HostileCategory(rawValue: "malformed-ahead")
    /// A record whose dead letter is larger than the broker accepts (it is mostly characters
    /// that JSON escapes to six bytes). Not in `standard`: see `HostileCorpus` for why.
    public static let deadLetterOverflow = HostileCategory(rawValue: "dead-letter-overflow")

    /// Every category that a correct service must survive with all its answers published.
    public static let standard: [HostileCategory] = [
        .truncatedJSON, .invalidJSON, .invalidUTF8, .hugeString, .deepNesting, .wrongType, .badNumber,
        .nonPositiveQuantity, .unknownType, .unknownVersion, .businessNonsense, .replay, .malformedAhead,
    ]
}

/// One bad record and what the system must do with it.
public struct HostileRecord: Sendable {
    /// Position in the corpus (0-based); the same seed always gives the same record here.
    public var sequence: Int
    public var topic: Topic
    public var key: String?
    public var value: Data
    public var category: HostileCategory
    /// A short human description ("SubmitOrder with quantity 1e400"), for reports.
    public var label: String
    /// The envelope id when the record has a readable one.
    public var eventId: UUID?
    /// What each consumer of `topic` must do with it; every item must be observable.
    public var expectations: [HostileExpectation]

    public init(sequence: Int, topic: Topic, key: String?, value: Data, category: HostileCategory, label: String,
                eventId: UUID?, expectations: [HostileExpectation]) {
        self.sequence = sequence; self.topic = topic; self.key = key; self.value = value; self.category = category
        self.label = label; self.eventId = eventId; self.expectations = expectations
    }
}

/// What one consumer must do with a hostile record (DESIGN.md section 3, step 5).
public enum HostileExpectation: Sendable, Hashable, CustomStringConvertible {
    /// `consumer` puts the record on `<topic>.dlq` with a reason and one of `codes` (any code
    /// when empty). The dead letter is found by the original value, or topic/partition/offset.
    case deadLetter(consumer: String, codes: Set<String>)
    /// A refusal event with a reason (`CommandRejected`, `OrderRejected`, `FreezeRejected`, ...),
    /// exactly once.
    case refusal(HostileRefusal)
    /// `consumer` applied an earlier record with the same envelope id and drops this one:
    /// no effect and no second answer.
    case duplicate(consumer: String)
    /// The first half of a business-nonsense pair: an order that is admitted (it rests), so that
    /// the next record can try to trade against it.
    case accepted(topic: Topic, type: EventType, match: HostileMatch)

    public var description: String {
        switch self {
        case let .deadLetter(consumer, codes):
            return "dead letter by \(consumer)" + (codes.isEmpty ? "" : " (\(codes.sorted().joined(separator: "|")))")
        case let .refusal(refusal): return refusal.description
        case let .duplicate(consumer): return "dropped as duplicate by \(consumer)"
        case let .accepted(topic, type, match): return "\(type) on \(topic) for \(match)"
        }
    }
}

/// A refusal event a consumer must emit for a hostile record.
public struct HostileRefusal: Sendable, Hashable, CustomStringConvertible {
    public var consumer: String
    public var topic: Topic
    public var type: EventType
    public var match: HostileMatch
    /// Acceptable `code`s of the refusal; any when empty.
    public var codes: Set<String>

    public init(consumer: String, topic: Topic, type: EventType, match: HostileMatch, codes: Set<String> = []) {
        self.consumer = consumer; self.topic = topic; self.type = type; self.match = match; self.codes = codes
    }

    public var description: String {
        "\(type) on \(topic) from \(consumer) for \(match)" + (codes.isEmpty ? "" : " (\(codes.sorted().joined(separator: "|")))")
    }
}

/// How a refusal is tied back to the record that caused it.
public enum HostileMatch: Sendable, Hashable, CustomStringConvertible {
    /// `CommandRejected.commandId` (the refused envelope's id, lower-case).
    case commandId(String)
    /// The `orderId` of an order's refusal or admission.
    case orderId(String)
    /// Either of two orders (a pair whose holds may arrive in either order).
    case eitherOrderId(String, String)

    public var description: String {
        switch self {
        case let .commandId(id): return "command \(id)"
        case let .orderId(id): return "order \(id)"
        case let .eitherOrderId(a, b): return "order \(a) or \(b)"
        }
    }

    /// True when an event carrying these ids is the one this match names.
    public func matches(commandId: String?, orderId: String?) -> Bool {
        switch self {
        case let .commandId(id): return commandId == id
        case let .orderId(id): return orderId == id
        case let .eitherOrderId(a, b): return orderId == a || orderId == b
        }
    }
}
