/// A JSON value whose objects keep their keys in the order they were written, printed the way
/// Python's `json.dumps(value, indent=2)` prints: the result is read by people and compared with
/// the figures the Python generator printed, so the layout stays the same. (Foundation's
/// encoders either sort the keys or write `"key" : value`.)
indirect enum OrderedJSON {
    case object([(String, OrderedJSON)])
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case null

    /// A double rounded to `places` decimals, as Python's `round(value, places)`.
    static func rounded(_ value: Double, _ places: Int) -> OrderedJSON {
        guard value.isFinite else { return .null }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return .double((value * scale).rounded() / scale)
    }

    func rendered(indent: Int = 0) -> String {
        switch self {
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            let inner = String(repeating: " ", count: indent + 2)
            let lines = members.map { key, value in "\(inner)\(Self.quoted(key)): \(value.rendered(indent: indent + 2))" }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "}"
        case .int(let value): return String(value)
        case .double(let value): return value.isFinite ? value.description : "null"
        case .bool(let value): return value ? "true" : "false"
        case .string(let value): return Self.quoted(value)
        case .null: return "null"
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value > 0x7E:
                // ASCII only, as json.dumps writes by default (ensure_ascii).
                for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
