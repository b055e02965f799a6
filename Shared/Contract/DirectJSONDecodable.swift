/// A payload that reads itself from FastJSON's tree without going through `Decodable`.
///
/// Why: the fast path decoded every payload through `Decodable` on FastJSON's decoder, whose
/// generic containers look up type metadata and box values on every field; for the payloads
/// that make up nearly all of a busy market's records that was about a third of each service's
/// decoding. An implementation returns nil for anything it does not read exactly as the
/// synthesized `Decodable` would (a missing or mistyped member, an unknown enumeration value, a
/// number that is not a plain integer), and the record then takes the `Decodable` path, which
/// gives the refusal its wording. The contract tests compare both readings.
protocol DirectJSONDecodable: EventPayload {
    static func decodeDirectly(from node: FJNode) -> Self?
}

/// How the fast path reads one catalogued payload type: directly when it can, else through
/// `Decodable` (`FastJSON.decode`). Chosen once per type, when the catalogue is built.
struct FastPayloadReader: Sendable {
    let supportedVersions: ClosedRange<Int>
    let read: @Sendable (FJNode) -> (any EventPayload)?

    init<P: EventPayload>(_: P.Type) {
        supportedVersions = P.supportedVersions
        if let direct = P.self as? any DirectJSONDecodable.Type {
            read = { direct.decodeDirectly(from: $0) }
        } else {
            read = { FastJSON.decode(P.self, from: $0) }
        }
    }
}

extension FJNode {
    /// The text of a string node, nil for any other kind.
    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value of an integer node, nil for any other kind (other numbers included).
    var int64: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// An optional string member as `decodeIfPresent` reads it: `.some(nil)` for null,
    /// `.some(text)` for a string, nil (unreadable) for any other kind.
    var optionalText: String?? {
        switch self {
        case .null: return .some(nil)
        case .string(let text): return .some(text)
        default: return nil
        }
    }
}
