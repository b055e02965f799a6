import Foundation

/// A civil calendar day (`yyyy-MM-dd`), the unit of forecasts, alert periods and standards'
/// effective dates.
///
/// Days in this domain are China Standard Time days (UTC+8, no daylight saving): a day starts at
/// 00:00 CST = 16:00 UTC of the previous day. The conversion uses plain integer arithmetic on the
/// proleptic Gregorian calendar rather than `Calendar`/`TimeZone`, so results never depend on the
/// host's time-zone database or locale.
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// UTC offset of China Standard Time, in seconds.
    public static let chinaStandardTimeOffset = 8 * 3600

    /// Days since 1970-01-01 (negative before it).
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// - Throws: `invalid-date` when the triple is not a real calendar date.
    public init(year: Int, month: Int, day: Int) throws {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day) else {
            throw AirAlertError.invalid("date", "\(year)-\(month)-\(day) is not a calendar date")
        }
        daysSinceEpoch = Self.days(year: year, month: month, day: day)
    }

    /// A date written in this module's source (an effective date, a default): traps on a typo
    /// instead of making every caller handle an error that configuration cannot cause.
    static func literal(_ year: Int, _ month: Int, _ day: Int) -> CalendarDay {
        guard let value = try? CalendarDay(year: year, month: month, day: day) else {
            preconditionFailure("invalid calendar day literal \(year)-\(month)-\(day)")
        }
        return value
    }

    /// Parses exactly `yyyy-MM-dd`.
    /// - Throws: `invalid-date` for any other shape or an impossible date.
    public init(_ text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else {
            throw AirAlertError.invalid("date", "'\(text)' is not a yyyy-MM-dd date")
        }
        try self.init(year: year, month: month, day: day)
    }

    /// The civil day that contains `date` at the given UTC offset (CST by default).
    public init(containing date: Date, utcOffsetSeconds: Int = CalendarDay.chinaStandardTimeOffset) {
        let local = (date.timeIntervalSince1970 + Double(utcOffsetSeconds)).rounded(.down)
        daysSinceEpoch = Int((local / 86_400).rounded(.down))
    }

    /// The instant this day begins (00:00 local time at the given offset).
    public func start(utcOffsetSeconds: Int = CalendarDay.chinaStandardTimeOffset) -> Date {
        Date(timeIntervalSince1970: Double(daysSinceEpoch * 86_400 - utcOffsetSeconds))
    }

    public func adding(days: Int) -> CalendarDay {
        CalendarDay(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: CalendarDay) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    public var components: (year: Int, month: Int, day: Int) { Self.civil(daysSinceEpoch) }

    public var description: String {
        let (year, month, day) = components
        return "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    // MARK: Proleptic Gregorian arithmetic (H. Hinnant's days_from_civil / civil_from_days)

    private static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension CalendarDay: Codable {
    /// Encoded as the `yyyy-MM-dd` string the contract uses.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
