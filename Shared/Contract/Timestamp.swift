import Foundation

/// An instant on the wire: ISO-8601 UTC with milliseconds (`2026-07-16T01:30:00.000Z`).
///
/// Stored as milliseconds since the epoch so that comparisons and arithmetic are exact and the
/// encoding of a decoded value is byte-identical to its source.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    public init(_ date: Date) {
        self.millisecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    public static func now() -> Timestamp { Timestamp(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.millisecondsSinceEpoch < b.millisecondsSinceEpoch }

    public func adding(milliseconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + milliseconds)
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ`, always UTC, always three fraction digits.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendDescription(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the bytes of `description` to `out`. Every event's envelope carries a timestamp,
    /// and formatting it through string interpolation was a quarter of encoding an envelope;
    /// years 0-9999 are written digit by digit, others (which pad oddly: "00-5") as before.
    func appendDescription(to out: inout [UInt8]) {
        let (days, msOfDay) = millisecondsSinceEpoch.floorDivided(by: 86_400_000)
        let civil = CivilDate(daysSinceEpoch: days)
        let h = msOfDay / 3_600_000, m = msOfDay / 60_000 % 60, s = msOfDay / 1000 % 60, ms = msOfDay % 1000
        guard (0...9999).contains(civil.year) else {
            out.append(contentsOf: "\(civil)T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(ms, 3))Z".utf8)
            return
        }
        appendDigits(civil.year, 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(civil.month, 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(civil.day, 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(h, 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(m, 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(s, 2, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(ms, 3, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Parses `yyyy-MM-ddTHH:mm:ss[.fff]Z` (or a `+hh:mm`/`-hh:mm` offset); nil if malformed.
    public init?(iso8601 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ bytes -> Int64? in
            var parser = ISO8601Parser(UnsafeRawBufferPointer(bytes))
            return parser.parse()
        }) else { return nil }
        self.millisecondsSinceEpoch = parsed
    }

    /// `init(iso8601:)` of the text these UTF-8 bytes spell, without making a `String` of them.
    init?(iso8601UTF8 bytes: UnsafeRawBufferPointer) {
        var parser = ISO8601Parser(bytes)
        guard let parsed = parser.parse() else { return nil }
        self.millisecondsSinceEpoch = parsed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(in: container,
                debugDescription: "'\(text.prefix(40))' is not an ISO-8601 UTC timestamp like 2026-07-16T01:30:00.000Z")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The last `width` decimal digits of a non-negative `value`, zero-padded.
private func appendDigits(_ value: Int64, _ width: Int, to out: inout [UInt8]) {
    var divisor: Int64 = 1
    for _ in 1..<width { divisor *= 10 }
    var rest = value
    while divisor > 0 {
        out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
        rest %= divisor
        divisor /= 10
    }
}

func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension Int64 {
    /// Division that rounds toward negative infinity, with a non-negative remainder.
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = self / divisor, r = self % divisor
        if r < 0 { q -= 1; r += divisor }
        return (q, r)
    }
}

/// A strict, allocation-light parser for the timestamps this contract allows.
private struct ISO8601Parser {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func parse() -> Int64? {
        guard bytes.count <= 40,
              let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
              let day = number(2), expect(UInt8(ascii: "T")) || expect(UInt8(ascii: " ")), let hour = number(2),
              expect(UInt8(ascii: ":")), let minute = number(2), expect(UInt8(ascii: ":")), let second = number(2)
        else { return nil }
        var millis: Int64 = 0
        if expect(UInt8(ascii: ".")) {
            var digits = 0
            while index < bytes.count, let d = digit(bytes[index]) {
                if digits < 3 { millis = millis * 10 + d }
                digits += 1; index += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 3)..<3 { millis *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if expect(UInt8(ascii: "Z")) || expect(UInt8(ascii: "z")) {
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let oh = number(2), expect(UInt8(ascii: ":")), let om = number(2), oh < 24, om < 60 else { return nil }
            offsetMinutes = sign * (oh * 60 + om)
        } else { return nil }
        guard index == bytes.count, (1...12).contains(month), hour < 24, minute < 60, second < 60,
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1000 + millis
    }

    private mutating func expect(_ ascii: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    private mutating func number(_ width: Int) -> Int64? {
        guard index + width <= bytes.count else { return nil }
        var value: Int64 = 0
        for i in index..<(index + width) {
            guard let d = digit(bytes[i]) else { return nil }
            value = value * 10 + d
        }
        index += width
        return value
    }

    private func digit(_ byte: UInt8) -> Int64? {
        byte >= 48 && byte <= 57 ? Int64(byte - 48) : nil
    }
}
