/// Surgery on canonical JSON text (sorted keys, no spaces, as `EventCodec` writes it): replace
/// the value of a named field with any text at all, including text no encoder would write
/// (`1e400`, `NaN`, a 10,000-deep array). Internal to the corpus.
enum JSONText {
    /// `json` with the value of the first `"field":` replaced by `raw`, or nil without the field.
    static func replacingValue(of field: String, with raw: String, in json: String) -> String? {
        let bytes = Array(json.utf8)
        let needle = Array("\"\(field)\":".utf8)
        guard let start = firstIndex(of: needle, in: bytes) else { return nil }
        let valueStart = start + needle.count
        let valueEnd = endOfValue(bytes, from: valueStart)
        return String(decoding: bytes[..<valueStart], as: UTF8.self) + raw + String(decoding: bytes[valueEnd...], as: UTF8.self)
    }

    /// `json` without the first `"field":value` member.
    static func removingField(_ field: String, in json: String) -> String? {
        let bytes = Array(json.utf8)
        let needle = Array("\"\(field)\":".utf8)
        guard let start = firstIndex(of: needle, in: bytes) else { return nil }
        var end = endOfValue(bytes, from: start + needle.count)
        var begin = start
        if end < bytes.count, bytes[end] == UInt8(ascii: ",") {
            end += 1
        } else if begin > 0, bytes[begin - 1] == UInt8(ascii: ",") {
            begin -= 1
        }
        return String(decoding: bytes[..<begin], as: UTF8.self) + String(decoding: bytes[end...], as: UTF8.self)
    }

    /// A JSON string literal of `text`.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], Array(bytes[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }

    /// The index just past the JSON value starting at `start`.
    private static func endOfValue(_ bytes: [UInt8], from start: Int) -> Int {
        guard start < bytes.count else { return start }
        var index = start
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return endOfString(bytes, from: index)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""): index = endOfString(bytes, from: index); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default: break
                }
                index += 1
            }
            return index
        default:
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index]) {
                index += 1
            }
            return index
        }
    }

    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
            if bytes[index] == UInt8(ascii: "\"") { return index + 1 }
            index += 1
        }
        return index
    }
}
