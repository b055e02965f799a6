/// A trading day, written `yyyy-MM-dd` in the contract (`tradingDay`).
///
/// The domain reads no clock: the service says which day it is (`FundsLedger.startTradingDay`)
/// and every entry is stamped with the day current when it was made. Days compare by value;
/// a valid Gregorian date in years 1000-9999, so the text order is the calendar order.
public struct TradingDay: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The `yyyy-MM-dd` text.
    public let rawValue: String

    /// Parses exactly `yyyy-MM-dd` (ASCII digits, a real date), or `nil`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// A valid date in years 1000-9999, or `nil`.
    public init?(year: Int, month: Int, day: Int) {
        guard (1000...9999).contains(year), (1...12).contains(month),
              (1...Self.days(inMonth: month, year: year)).contains(day) else { return nil }
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        rawValue = "\(year)-\(pad(month))-\(pad(day))"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = TradingDay(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not a yyyy-MM-dd date"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: TradingDay, rhs: TradingDay) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// An instant as milliseconds since 1970-01-01T00:00:00Z (the contract's `Timestamp`).
///
/// Supplied by the caller (a record's logical time or the tick's clock), never read here.
public struct Instant: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// Milliseconds from `earlier` to `self` (negative when `earlier` is later), saturating.
    public func milliseconds(since earlier: Instant) -> Int64 {
        let (difference, overflow) = millisecondsSinceEpoch.subtractingReportingOverflow(earlier.millisecondsSinceEpoch)
        if overflow { return earlier.millisecondsSinceEpoch < 0 ? Int64.max : Int64.min }
        return difference
    }

    public var description: String { "\(millisecondsSinceEpoch)ms" }
}
