import Contract
import Testing

/// Calendar days (`yyyy-MM-dd`) with exact day arithmetic.
@Suite("CivilDate")
struct CivilDateTests {
    @Test("known days have known day numbers")
    func knownDayNumbers() {
        #expect(CivilDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(CivilDate(year: 2000, month: 2, day: 29).daysSinceEpoch == 11_016)
        #expect(CivilDate(year: 2026, month: 7, day: 16).daysSinceEpoch == 20_650)
        #expect(CivilDate(year: 1600, month: 3, day: 1).daysSinceEpoch == -135_080)
    }

    /// The text reader against the rule it implements (four digits, dash, two, dash, two, a
    /// real day): every day of four centuries reads back, and every damaged spelling of a few
    /// days reads as the rule says.
    @Test("text reads as yyyy-MM-dd and nothing else")
    func textReading() {
        var date = CivilDate(year: 1900, month: 1, day: 1)
        while date.year < 2300 {
            #expect(CivilDate(date.description) == date, "\(date)")
            date = CivilDate(daysSinceEpoch: date.daysSinceEpoch + 1)
        }
        func byRule(_ text: String) -> CivilDate? {
            let bytes = Array(text.utf8)
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            let digits = [0, 1, 2, 3, 5, 6, 8, 9].map { bytes[$0] }
            guard digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
            let number = { (places: [Int]) in places.reduce(Int64(0)) { $0 * 10 + Int64(bytes[$1] - 48) } }
            let (y, m, d) = (number([0, 1, 2, 3]), number([5, 6]), number([8, 9]))
            guard (1...12).contains(m), (1...CivilDate.daysIn(month: m, year: y)).contains(d) else { return nil }
            return CivilDate(year: y, month: m, day: d)
        }
        for base in ["2026-07-16", "2024-02-29", "2023-02-28", "0000-01-01", "9999-12-31"] {
            for place in 0..<10 {
                for replacement in ["-", "0", "1", "3", "9", "a", " ", "/", "+", "成"] {
                    var characters = Array(base)
                    characters[place] = Character(replacement)
                    let text = String(characters)
                    #expect(CivilDate(text) == byRule(text), "\(text)")
                }
            }
        }
        for text in ["", "2026-7-16", "2026-07-166", "2026-07-16 ", "20260716", "2026-02-30", "2026-13-01", "2026-00-10"] {
            #expect(CivilDate(text) == nil, "\(text)")
        }
    }

    @Test("day numbers convert back to the same day over a wide range")
    func daysRoundTripWideRange() {
        for days in stride(from: Int64(-3_000_000), through: 3_000_000, by: 7_919) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days, "\(days)")
        }
    }

    @Test("consecutive day numbers walk the calendar one day at a time for 500 years")
    func consecutiveDays() {
        var date = CivilDate(year: 1800, month: 1, day: 1)
        var days = date.daysSinceEpoch
        while date.year < 2300 {
            days += 1
            let next = CivilDate(daysSinceEpoch: days)
            let endOfMonth = date.day == CivilDate.daysIn(month: date.month, year: date.year)
            let expected = !endOfMonth ? CivilDate(year: date.year, month: date.month, day: date.day + 1)
                : date.month == 12 ? CivilDate(year: date.year + 1, month: 1, day: 1)
                : CivilDate(year: date.year, month: date.month + 1, day: 1)
            if next != expected {
                Issue.record("after \(date) came \(next), expected \(expected)")
                return
            }
            date = next
        }
    }

    @Test("weekdays of known dates")
    func weekdays() {
        #expect(CivilDate(year: 1970, month: 1, day: 1).isoWeekday == 4)  // Thursday
        #expect(CivilDate(year: 2021, month: 7, day: 16).isoWeekday == 5)  // Friday: national ETS opens
        #expect(CivilDate(year: 2000, month: 2, day: 29).isoWeekday == 2)  // Tuesday
        #expect(CivilDate(year: 1600, month: 3, day: 1).isoWeekday == 3)  // Wednesday, before the epoch
    }

    @Test("text parses to the day and formats back", arguments: ["2026-07-16", "2024-02-29", "0001-01-01", "9999-12-31"])
    func textRoundTrip(_ text: String) {
        #expect(CivilDate(text)?.description == text)
    }

    @Test("malformed or impossible days are refused",
          arguments: ["2026-02-30", "2025-02-29", "2026-7-16", "2026-07-16T00:00:00Z", "2026/07/16", "", "2026-13-01",
                      "2026-04-31", "+202-01-01", "2026-+7-16", "2026-07-+1", " 202-07-16"])
    func malformed(_ text: String) {
        #expect(CivilDate(text) == nil)
    }

    @Test("adding days crosses months and years")
    func addingDays() {
        #expect(CivilDate(year: 2025, month: 12, day: 31).adding(days: 1) == CivilDate(year: 2026, month: 1, day: 1))
        #expect(CivilDate(year: 2024, month: 3, day: 1).adding(days: -1) == CivilDate(year: 2024, month: 2, day: 29))
    }
}
