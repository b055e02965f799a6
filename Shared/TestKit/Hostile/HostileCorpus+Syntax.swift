import Contract
import Foundation

/// Records that are not a readable envelope at all: cut short, not JSON, not UTF-8, nested
/// past any parser's depth, or too large. Every reader dead-letters them; none can answer with
/// `CommandRejected`, since no envelope id can be read (except for huge fields, below).
extension RecordMaker {
    mutating func template(where predicate: (Template) -> Bool) -> Template {
        var candidate = template()
        for _ in 0..<20 where !predicate(candidate) { candidate = template() }
        return candidate
    }

    mutating func truncated() -> HostileRecord {
        let base = template()
        let bytes = Array(base.json.utf8)
        let cut = Int.random(in: 1..<bytes.count, using: &rng)
        return record(Data(bytes[..<cut]), key: base.key, label: "\(base.type) cut at byte \(cut) of \(bytes.count)",
                      expectations: deadLettered(codes: ["malformed-json"], header: nil))
    }

    mutating func invalidJSON() -> HostileRecord {
        let base = template()
        let id = base.id.lowercasedString
        let tag = "\(context.ghostPrefix)\(unit)"
        // (what, text, whether the envelope's header is still readable)
        let variants: [(String, String, Bool)] = [
            ("two commas after the last member", String(base.json.dropLast()) + ",,}", false),
            ("single quotes", base.json.replacingOccurrences(of: "\"", with: "'"), false),
            ("unquoted keys", base.json.replacingOccurrences(of: "\"id\":", with: "id:"), false),
            ("a comment", "/* \(tag) */" + base.json, false),
            ("two documents", base.json + base.json, false),
            ("a bare string", JSONText.quoted("not an envelope \(tag)"), false),
            ("a bare number", "\(unit)", false),
            ("null", "null /* \(tag) */", false),
            ("an array of envelopes", "[\(base.json)]", false),
            ("an empty object", "{\"\(tag)\":{}}", false),
            ("random bytes", randomPrintable(count: Int.random(in: 16...512, using: &rng)), false),
            ("XML", "<envelope id=\"\(id)\"><type>\(base.type)</type></envelope>", false),
            ("NaN literal", JSONText.replacingValue(of: "version", with: "NaN", in: base.json) ?? "NaN", false),
            ("unterminated string", "{\"id\":\"\(id)", false),
            ("missing colon", base.json.replacingOccurrences(of: "\"type\":", with: "\"type\" "), false),
            ("envelope without data", JSONText.removingField("data", in: base.json) ?? "{}", true),
            ("envelope without id", JSONText.removingField("id", in: base.json) ?? "{}", false),
            ("id that is not a UUID", JSONText.replacingValue(of: "id", with: JSONText.quoted(tag), in: base.json) ?? "{}", false),
        ]
        let (what, text, readable) = rng.pick(variants)
        return record(text, key: base.key, label: "\(base.type) as \(what)", eventId: readable ? base.id : nil,
                      expectations: deadLettered(codes: [], header: readable ? (base.id, base.type) : nil))
    }

    mutating func invalidUTF8() -> HostileRecord {
        let base = template()
        let bad: [[UInt8]] = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80]]
        // Inside the envelope id or an identifier field: a decoder that replaced bad bytes with
        // U+FFFD instead of refusing them would still fail the UUID or identifier check.
        let identifiers = base.stringFields.filter { !["name", "reference", "district", "creditCode"].contains($0) }
        let field = Int.random(in: 0..<3, using: &rng) == 0 || identifiers.isEmpty ? "id" : rng.pick(identifiers)
        var bytes = Array(base.json.utf8)
        let needle = Array("\"\(field)\":\"".utf8)
        var position = 1
        for index in 0..<(bytes.count - needle.count) where Array(bytes[index..<(index + needle.count)]) == needle {
            position = index + needle.count + Int.random(in: 0...2, using: &rng)
            break
        }
        let splice = rng.pick(bad)
        bytes.insert(contentsOf: splice, at: position)
        return record(Data(bytes), key: base.key, label: "\(base.type) with bytes \(splice) in \(field)",
                      expectations: deadLettered(codes: [], header: nil))
    }

    mutating func hugeString() -> HostileRecord {
        let base = template()
        let size = hugeSize()
        let filler = String(repeating: "A", count: size)
        let target = Int.random(in: 0..<4, using: &rng)
        if target == 0 {
            // The envelope's own `source` (at most 64 bytes): the header is readable but invalid.
            let text = JSONText.replacingValue(of: "source", with: JSONText.quoted(filler), in: base.json) ?? base.json
            return record(text, key: base.key, label: "\(base.type) with a \(size)-byte source", eventId: base.id,
                          expectations: deadLettered(codes: ["oversize-field"], header: (base.id, base.type)))
        }
        let field = rng.pick(base.stringFields)
        let text = JSONText.replacingValue(of: field, with: JSONText.quoted(filler), in: base.json) ?? base.json
        return record(text, key: base.key, label: "\(base.type) with a \(size)-byte \(field)", eventId: base.id,
                      expectations: deadLettered(codes: [], header: (base.id, base.type)))
    }

    mutating func deepNesting() -> HostileRecord {
        let base = template()
        let depth = 10_000
        let tag = JSONText.quoted("\(context.ghostPrefix)\(unit)")
        let variants: [(String, String)] = [
            ("balanced arrays", String(repeating: "[", count: depth) + tag + String(repeating: "]", count: depth)),
            ("unclosed arrays", String(repeating: "[", count: depth) + tag),
            ("nested objects", String(repeating: "{\"a\":", count: depth) + tag + String(repeating: "}", count: depth)),
            ("arrays inside data", JSONText.replacingValue(
                of: "data", with: String(repeating: "[", count: depth) + tag + String(repeating: "]", count: depth), in: base.json) ?? "[]"),
        ]
        let (what, text) = rng.pick(variants)
        // Whether `data` nested too deep leaves the header readable depends on the parser's
        // depth limit, so only the dead letter is promised.
        return record(text, key: base.key, label: "\(depth) levels of \(what)", expectations: deadLettered(codes: [], header: nil))
    }

    /// Characters JSON escapes to six bytes: the dead letter (the original value as a JSON
    /// string) is about six times the record, past the producer's 1,000,000-byte limit.
    mutating func deadLetterOverflow() -> HostileRecord {
        let base = template()
        let count = min(corpus.maxRecordBytes, 400_000) - 64
        let text = "\(context.ghostPrefix)\(unit)" + String(repeating: "\u{01}", count: count)
        return record(text, key: base.key, label: "\(count) control characters (dead letter about \(count * 6) bytes)",
                      expectations: deadLettered(codes: [], header: nil))
    }

    /// Mostly kilobytes, sometimes close to `maxRecordBytes`.
    mutating func hugeSize() -> Int {
        let ceiling = max(1_024, corpus.maxRecordBytes - 4_096)
        if Int.random(in: 0..<25, using: &rng) == 0 { return Int.random(in: (ceiling / 2)...ceiling, using: &rng) }
        return min(ceiling, rng.pick([300, 1_000, 4_096, 16_384, 65_536]))
    }

    mutating func randomPrintable(count: Int) -> String {
        String(String.UnicodeScalarView((0..<count).compactMap { _ in Unicode.Scalar(UInt8.random(in: 33...126, using: &rng)) }))
    }
}
