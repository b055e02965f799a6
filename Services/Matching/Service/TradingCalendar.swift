import Contract
import Foundation
import MatchingDomain

/// The exchange's calendar: which methods trade at what local time on which days (RULES.md:
/// listed 9:30-11:30 and 13:00-15:00, block 13:00-15:00, China Standard Time, Monday to Friday).
///
/// Pure: from a timestamp and the state it says what the next input is that brings an
/// instrument's session to where the calendar wants it (open the day, change the phase, close
/// the day). The service's `tick` applies those inputs through the journal like any other.
/// While it is on, the calendar owns the sessions of its instruments.
public struct TradingCalendar: Sendable, Equatable {
    /// A method's trading window, in minutes after local midnight, `[start, end)`.
    public struct Window: Sendable, Equatable {
        public var method: MatchingDomain.TradingMethod
        public var start: Int
        public var end: Int

        public init(_ method: MatchingDomain.TradingMethod, _ start: Int, _ end: Int) {
            self.method = method; self.start = start; self.end = end
        }
    }

    public var windows: [Window]
    /// The instruments whose sessions the calendar drives.
    public var instruments: [InstrumentID]
    /// Days without trading besides weekends.
    public var holidays: Set<CivilDate>
    /// Local time's offset from UTC, in minutes (China Standard Time: +480, no daylight saving).
    public var utcOffsetMinutes: Int64

    public init(windows: [Window] = TradingCalendar.standardWindows, instruments: [InstrumentID] = ["CEA"],
                holidays: Set<CivilDate> = [], utcOffsetMinutes: Int64 = 480) {
        self.windows = windows; self.instruments = instruments; self.holidays = holidays
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// RULES.md's hours. Auctions are announced case by case; by default they may run in the
    /// listed hours (close a window with `CloseAuction`).
    public static let standardWindows: [Window] = [
        Window(.listed, 9 * 60 + 30, 11 * 60 + 30), Window(.listed, 13 * 60, 15 * 60),
        Window(.block, 13 * 60, 15 * 60),
        Window(.auction, 9 * 60 + 30, 11 * 60 + 30), Window(.auction, 13 * 60, 15 * 60),
    ]

    /// The text form of `standardWindows`, as `--schedule-windows` takes it.
    public static let standardWindowsText = "listed=09:30-11:30,13:00-15:00;block=13:00-15:00;auction=09:30-11:30,13:00-15:00"

    /// Where the calendar stands at an instant.
    public struct Moment: Sendable, Equatable {
        /// The local calendar day.
        public var day: CivilDate
        public var phase: Phase
        /// The methods accepted now (empty in a break and outside the hours).
        public var methods: MethodSet
        /// Whether the session's hours are running (breaks included).
        public var open: Bool { phase == .open }
    }

    public enum Phase: String, Sendable, Equatable {
        /// A weekend or holiday.
        case noTrading = "no-trading"
        /// A trading day before its first window: today's session may be opened (paused).
        case beforeOpen = "before-open"
        /// Between the first window's start and the last window's end, breaks included.
        case open
        /// After the last window: today's session closes.
        case afterClose = "after-close"
    }

    public func moment(at now: Timestamp) -> Moment {
        let local = now.millisecondsSinceEpoch + utcOffsetMinutes * 60_000
        let day = CivilDate(daysSinceEpoch: local.floorDiv(86_400_000))
        let minute = Int(local.floorMod(86_400_000) / 60_000)
        guard isTradingDay(day), let first = windows.map(\.start).min(), let last = windows.map(\.end).max() else {
            return Moment(day: day, phase: .noTrading, methods: [])
        }
        if minute < first { return Moment(day: day, phase: .beforeOpen, methods: []) }
        if minute >= last { return Moment(day: day, phase: .afterClose, methods: []) }
        let methods = windows.filter { $0.start <= minute && minute < $0.end }
            .reduce(into: MethodSet()) { $0.insert(MethodSet($1.method)) }
        return Moment(day: day, phase: .open, methods: methods)
    }

    public func isTradingDay(_ day: CivilDate) -> Bool {
        day.isoWeekday <= 5 && !holidays.contains(day)
    }

    /// The methods a session opened by command at `now` starts with: the calendar's phase for
    /// a scheduled instrument, every method otherwise.
    func openingMethods(for instrument: InstrumentID, at now: Timestamp) -> MethodSet {
        instruments.contains(instrument) ? moment(at: now).methods : .all
    }

    /// The next input that moves `instrument` toward the calendar at `now`, or nil when it is
    /// where the calendar wants it (or cannot be: a first day with no previous close waits for an
    /// `OpenSession` that gives the reference price).
    ///
    /// A session of an earlier day closes; today's closes after the last window and follows the
    /// phases until then (paused before the first window, so an operator may open it early); a
    /// session opened for a later day is left alone. Today's session opens at the first window
    /// at the previous close, once: a day trades once.
    func nextInput(for instrument: InstrumentID, state: MatchingState, at now: Timestamp) -> MatchingInput? {
        let moment = moment(at: now)
        let today = TradingDay(moment.day.description)
        if let session = state.engine.session(of: instrument) {
            if session.tradingDay.rawValue < today.rawValue
                || (session.tradingDay == today && moment.phase == .afterClose) {
                return .closeSession(instrument: instrument, tradingDay: session.tradingDay, referencePrice: nil)
            }
            guard session.tradingDay == today, moment.phase == .open || moment.phase == .beforeOpen,
                  session.methods != moment.methods else { return nil }
            return .setMethods(instrument: instrument, methods: moment.methods)
        }
        guard moment.open, state.engine.previousClose(of: instrument) != nil else { return nil }
        if let last = state.openedDays[instrument], last.rawValue >= today.rawValue { return nil }
        return .openSession(instrument: instrument, tradingDay: today, referencePrice: nil, methods: moment.methods)
    }

    /// Why the calendar leaves `instrument` alone now, if it does, for the admin port.
    func waiting(for instrument: InstrumentID, state: MatchingState, at now: Timestamp) -> String? {
        let moment = moment(at: now)
        if moment.open, state.engine.session(of: instrument) == nil {
            if state.engine.previousClose(of: instrument) == nil {
                return "no previous close: send OpenSession with a referencePrice for the first day"
            }
            return "today's session already took place"
        }
        return nil
    }
}

extension TradingCalendar {
    /// A calendar from its text form (the executable's flags).
    /// - Parameters:
    ///   - instruments: comma-separated, like `CEA,CCER`.
    ///   - windows: as `windows(parsing:)` takes them.
    ///   - holidays: comma-separated `yyyy-MM-dd` days.
    /// - Throws: `ContractError` naming what is malformed.
    public init(instruments: String, windows: String, holidays: String, utcOffsetMinutes: Int64) throws {
        var days: Set<CivilDate> = []
        for text in holidays.split(separator: ",") {
            guard let day = CivilDate(String(text).trimmingCharacters(in: .whitespaces)) else {
                throw ContractError.invalid("holiday '\(text)' is not a yyyy-MM-dd day")
            }
            days.insert(day)
        }
        let names = instruments.split(separator: ",").map { InstrumentID(String($0).trimmingCharacters(in: .whitespaces)) }
        guard !names.isEmpty else { throw ContractError.invalid("the calendar names no instrument") }
        for name in names { try Instrument(name).validate() }
        guard (-14 * 60...14 * 60).contains(utcOffsetMinutes) else {
            throw ContractError.invalid("UTC offset \(utcOffsetMinutes) minutes is not within -840...840")
        }
        self.init(windows: try Self.windows(parsing: windows), instruments: names, holidays: days,
                  utcOffsetMinutes: utcOffsetMinutes)
    }

    /// Parses `listed=09:30-11:30,13:00-15:00;block=13:00-15:00`.
    /// - Throws: `ContractError` naming what is malformed.
    public static func windows(parsing text: String) throws -> [Window] {
        var windows: [Window] = []
        for part in text.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let method = MatchingDomain.TradingMethod(rawValue: String(pair[0]).trimmingCharacters(in: .whitespaces)) else {
                throw ContractError.invalid("'\(part)' is not method=HH:MM-HH:MM[,HH:MM-HH:MM]")
            }
            for range in pair[1].split(separator: ",") {
                let ends = range.split(separator: "-")
                guard ends.count == 2, let start = minutes(ends[0]), let end = minutes(ends[1]), start < end else {
                    throw ContractError.invalid("'\(range)' is not a time range like 09:30-11:30")
                }
                windows.append(Window(method, start, end))
            }
        }
        guard !windows.isEmpty else { throw ContractError.invalid("the schedule needs at least one window") }
        return windows
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m),
              h * 60 + m <= 24 * 60 else { return nil }
        return h * 60 + m
    }
}

extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 { let q = self / d; return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q }
    func floorMod(_ d: Int64) -> Int64 { self - floorDiv(d) * d }
}
