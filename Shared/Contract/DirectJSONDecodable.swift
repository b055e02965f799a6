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

/// An object member's name as a payload reader's `switch` compares it: by length first. Two
/// different strings compare through a call into the runtime, and a reader tries several names
/// per member; the lengths of a payload's names mostly differ, so most of those calls go.
/// Lengths decide only for an ASCII name against an ASCII pattern (every pattern is a member
/// name written in the code): other text can be canonically equal to a name of another length
/// (U+212A KELVIN SIGN is "K"), which `String ==` says, and so must this.
struct MemberName {
    let text: String
    let length: Int
    let isASCII: Bool

    @inline(__always)
    init(_ text: String) {
        self.text = text
        length = text.utf8.count
        isASCII = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } } ?? false
    }

    /// `pattern == name.text`; `pattern` is plain ASCII.
    @inline(__always)
    static func ~= (pattern: String, name: MemberName) -> Bool {
        if name.isASCII, pattern.utf8.count != name.length { return false }
        return pattern == name.text
    }
}
