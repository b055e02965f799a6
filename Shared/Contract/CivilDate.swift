/// A calendar day (proleptic Gregorian), convertible to and from days since 1970-01-01.
///
/// Used for trading days and forecast days (`yyyy-MM-dd` on the wire) without Foundation's
/// time-zone machinery, so that day arithmetic is exact and the same on every platform.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int64
    public var month: Int64
    public var day: Int64

    public init(year: Int64, month: Int64, day: Int64) {
        self.year = year; self.month = month; self.day = day
    }

    /// Howard Hinnant's days-from-civil algorithm.
    public var daysSinceEpoch: Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(daysSinceEpoch: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    public static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public func adding(days: Int64) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// 1 = Monday ... 7 = Sunday (ISO weekday).
    public var isoWeekday: Int64 { (daysSinceEpoch + 3).floorDivided(by: 7).remainder + 1 }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    public var description: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }

    /// Parses exactly `yyyy-MM-dd`; nil if malformed or not a real date.
    /// Read from its ten bytes at their places (every trade carries a day: splitting the text
    /// into parts and parsing each was a twentieth of decoding a `TradeExecuted`).
    public init?(_ text: String) {
        let utf8 = text.utf8
        guard utf8.count == 10 else { return nil }
        var y: Int64 = 0, m: Int64 = 0, d: Int64 = 0
        for (place, byte) in utf8.enumerated() {
            if place == 4 || place == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            switch place {
            case 0..<4: y = y * 10 + Int64(digit)
            case 5, 6: m = m * 10 + Int64(digit)
            default: d = d * 10 + Int64(digit)
            }
        }
        guard (1...12).contains(m), (1...CivilDate.daysIn(month: m, year: y)).contains(d) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = CivilDate(text) else {
            throw DecodingError.dataCorruptedError(in: container,
                debugDescription: "'\(text.prefix(20))' is not a calendar day like 2026-07-16")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
