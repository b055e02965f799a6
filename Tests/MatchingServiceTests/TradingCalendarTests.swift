import Contract
import Foundation
import MatchingDomain
@testable import MatchingService
@testable import ServiceRuntime
import Store
import Testing

/// RULES.md: listed 9:30-11:30 and 13:00-15:00, block 13:00-15:00, China Standard Time, Monday
/// to Friday. The calendar drives sessions through `tick`, journaled like commands.
@Suite("Trading calendar")
struct TradingCalendarTests {
    let calendar = TradingCalendar()

    /// 2026-07-16 (a Thursday) at a Beijing wall-clock time.
    static func beijing(_ hour: Int64, _ minute: Int64, day: Int64 = 16) -> Timestamp {
        let utc = CivilDate(year: 2026, month: 7, day: day).daysSinceEpoch * 86_400_000 + (hour - 8) * 3_600_000 + minute * 60_000
        return Timestamp(millisecondsSinceEpoch: utc)
    }

    @Test func phasesFollowTheRulesHoursInChinaStandardTime() {
        #expect(calendar.moment(at: Self.beijing(9, 29)).phase == .beforeOpen)
        #expect(calendar.moment(at: Self.beijing(9, 30)).methods == [.listed, .auction])
        #expect(calendar.moment(at: Self.beijing(11, 30)) == .init(day: CivilDate(year: 2026, month: 7, day: 16), phase: .open, methods: []),
                "the lunch break: open, no method")
        #expect(calendar.moment(at: Self.beijing(13, 0)).methods == .all)
        #expect(calendar.moment(at: Self.beijing(14, 59)).methods == .all)
        #expect(calendar.moment(at: Self.beijing(15, 0)).phase == .afterClose)
        #expect(calendar.moment(at: Self.beijing(7, 59)).day == CivilDate(year: 2026, month: 7, day: 16), "00:00 UTC is 08:00 in Beijing")
    }

    @Test func weekendsAndHolidaysDoNotTrade() {
        #expect(calendar.moment(at: Self.beijing(10, 0, day: 18)).phase == .noTrading, "a Saturday")
        let holiday = TradingCalendar(holidays: [CivilDate(year: 2026, month: 7, day: 16)])
        #expect(holiday.moment(at: Self.beijing(10, 0)).phase == .noTrading)
    }

    @Test func windowsParseFromTheirTextForm() throws {
        #expect(try TradingCalendar.windows(parsing: TradingCalendar.standardWindowsText) == TradingCalendar.standardWindows)
        #expect(throws: ContractError.self) { try TradingCalendar.windows(parsing: "listed=15:00-09:30") }
        #expect(throws: ContractError.self) { try TradingCalendar.windows(parsing: "swap=09:30-10:00") }
        #expect(throws: ContractError.self) {
            try TradingCalendar(instruments: "CEA", windows: TradingCalendar.standardWindowsText, holidays: "2026-13-01",
                                utcOffsetMinutes: 480)
        }
    }

    @Test func aDayRunsOpenPhasesAndCloseFromTheTick() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(calendar: TradingCalendar()))
        // The first day needs a reference price: the operator opens it by command at 9:30.
        let opening = h.record(Script.open(5_000), to: .marketOrders)
        var record = opening
        record.timestampMs = Self.beijing(9, 30).millisecondsSinceEpoch
        try h.apply([record])
        #expect(h.state.engine.session(of: "CEA")?.methods == [.listed, .auction], "opened in the morning phase")
        try h.submitHeld(Script.sell("s1", "seller", 100, at: 5_000))

        #expect(try tick(h, at: Self.beijing(10, 0)).isEmpty, "nothing to change mid-morning")
        #expect(try tick(h, at: Self.beijing(11, 30)).isEmpty, "a phase change emits nothing")
        #expect(h.state.engine.session(of: "CEA")?.methods == [])
        _ = try tick(h, at: Self.beijing(13, 0))
        #expect(h.state.engine.session(of: "CEA")?.methods == .all)
        let closing = try tick(h, at: Self.beijing(15, 0))
        #expect(closing.map { type(of: $0.payload).eventType.rawValue } == ["OrderExpired", "SessionClosed"])
        #expect(try tick(h, at: Self.beijing(15, 0, day: 16)).isEmpty, "a closed day stays closed")
        #expect(try tick(h, at: Self.beijing(10, 0, day: 16)).isEmpty, "and is not reopened the same day")

        let nextDay = try tick(h, at: Self.beijing(9, 30, day: 17))
        let opened = try #require(nextDay.first?.payload as? Contract.SessionOpened)
        #expect(opened.tradingDay == CivilDate(year: 2026, month: 7, day: 17))
        #expect(opened.referencePrice == 5_000, "yesterday's close")
        #expect(try h.count("SELECT COUNT(*) FROM journal WHERE type IN ('set-methods', 'close-session', 'open-session')") == 5)
    }

    @Test func aSessionLeftOpenFromAnEarlierDayIsClosedBeforeTodayOpens() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(calendar: TradingCalendar()))
        try h.send(Script.open(5_000))
        let events = try tick(h, at: Self.beijing(10, 0, day: 17))
        #expect(events.map { type(of: $0.payload).eventType.rawValue } == ["SessionClosed", "SessionOpened"])
    }

    @Test func aSessionOpenedByCommandBeforeTheBellWaitsPausedForTheFirstWindow() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(calendar: TradingCalendar()))
        var record = h.record(Script.open(5_000), to: .marketOrders)
        record.timestampMs = Self.beijing(9, 0).millisecondsSinceEpoch
        try h.apply([record])
        #expect(h.state.engine.session(of: "CEA")?.methods == [], "paused until 9:30")
        #expect(try tick(h, at: Self.beijing(9, 10)).isEmpty)
        #expect(h.state.engine.session(of: "CEA") != nil, "not closed before it opened")
        _ = try tick(h, at: Self.beijing(9, 30))
        #expect(h.state.engine.session(of: "CEA")?.methods == [.listed, .auction])
    }

    @Test func aSessionOpenedForALaterDayIsLeftAlone() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(calendar: TradingCalendar()))
        try h.send(Script.open(5_000, day: CivilDate(year: 2026, month: 7, day: 17)))
        #expect(try tick(h, at: Self.beijing(16, 0)).isEmpty)
        #expect(h.state.engine.session(of: "CEA")?.tradingDay == "2026-07-17")
    }

    @Test func withoutAPreviousCloseTheCalendarWaitsForAnOpenSessionCommand() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(calendar: TradingCalendar()))
        #expect(try tick(h, at: Self.beijing(10, 0)).isEmpty)
        #expect(h.state.engine.session(of: "CEA") == nil)
        #expect(calendar.waiting(for: "CEA", state: h.state, at: Self.beijing(10, 0))?.contains("referencePrice") == true)
    }

    /// Runs the handler's tick at `now` in its own transaction, as the runtime does; returns what it emitted.
    func tick(_ h: MatchingHarness, at now: Timestamp) throws -> [OutgoingEvent] {
        try h.loop.store.write { db in
            let header = EnvelopeHeader(id: DeterministicID.nameBased("tick/\(now.millisecondsSinceEpoch)"), type: "Tick",
                                        version: 1, occurredAt: now, source: "matching")
            var context = HandlerContext(db: db, input: header, topic: "matching.tick", partition: 0, offset: 0, now: now)
            try h.handler.tick(context: &context)
            return context.emitted
        }
    }
}
