import Foundation
import Testing
@testable import AirAlertDomain

@Suite struct CalendarDayTests {
    @Test func parsesAndPrintsIsoDays() throws {
        let d = try CalendarDay("2026-07-14")
        #expect(d.description == "2026-07-14")
        #expect(d.components == (2026, 7, 14))
        #expect(try CalendarDay("2024-02-29").adding(days: 1).description == "2024-03-01")
        #expect(try CalendarDay("1969-12-31").daysSinceEpoch == -1)
    }

    @Test func rejectsMalformedDays() {
        for text in ["2026-7-14", "2026-02-30", "2025-02-29", "20260714", "2026-13-01", "abcd-ef-gh", "2026-07-14T00"] {
            #expect(throws: AirAlertError.self) { try CalendarDay(text) }
        }
    }

    @Test func dayStartsAtMidnightChinaStandardTime() {
        let d = day("2026-07-14")
        // 00:00 CST is 16:00 UTC the day before.
        #expect(d.start() == Date(timeIntervalSince1970: 1_783_958_400))
        #expect(CalendarDay(containing: d.start()) == d)
        #expect(CalendarDay(containing: d.start().addingTimeInterval(-1)) == day("2026-07-13"))
        #expect(CalendarDay(containing: d.start().addingTimeInterval(86_399)) == d)
    }

    @Test func encodesAsIsoString() throws {
        let data = try JSONEncoder().encode([day("2026-07-14")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-07-14"]"#)
        #expect(try JSONDecoder().decode([CalendarDay].self, from: data) == [day("2026-07-14")])
    }
}
