import Contract
import Foundation
import Testing

/// Instants on the wire: ISO-8601 UTC with exactly three fraction digits.
@Suite("Timestamp")
struct TimestampTests {
    func millis(_ text: String) -> Int64? { Timestamp(iso8601: text)?.millisecondsSinceEpoch }

    @Test("a formatted timestamp parses back to the same text",
          arguments: ["2026-07-16T01:30:00.123Z", "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z",
                      "2000-02-29T12:00:00.001Z", "2099-12-31T23:59:59.999Z"])
    func formatRoundTrip(_ text: String) throws {
        let parsed = try #require(Timestamp(iso8601: text))
        #expect(parsed.description == text)
    }

    /// The formatting before it was written digit by digit: the wire form must not change.
    static func referenceDescription(_ ms: Int64) -> String {
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        var days = ms / 86_400_000, msOfDay = ms % 86_400_000
        if msOfDay < 0 { days -= 1; msOfDay += 86_400_000 }
        let civil = CivilDate(daysSinceEpoch: days)
        let h = msOfDay / 3_600_000, m = msOfDay / 60_000 % 60, s = msOfDay / 1000 % 60, milli = msOfDay % 1000
        return "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2))T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(milli, 3))Z"
    }

    @Test("formatting is unchanged from the string-built form, across and beyond years 0-9999")
    func formattingMatchesTheReference() {
        var random = SystemRandomNumberGenerator()
        let edges: [Int64] = [0, -1, 1, -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000,
                              -100_000_000_000_000, 100_000_000_000_000]
        let samples = edges + (0..<20_000).map { _ in Int64.random(in: -400_000_000_000_000...400_000_000_000_000, using: &random) }
            + (0..<20_000).map { _ in Int64.random(in: 0...4_102_444_800_000, using: &random) }
        for ms in samples {
            #expect(Timestamp(millisecondsSinceEpoch: ms).description == Self.referenceDescription(ms), "\(ms)")
        }
    }

    @Test("a value formats and parses back to the same milliseconds")
    func valueRoundTrip() {
        for ms: Int64 in [0, 1, -1, 999, 1_784_165_400_123, -62_135_596_800_000, 253_402_300_799_999] {
            #expect(millis(Timestamp(millisecondsSinceEpoch: ms).description) == ms, "\(ms)")
        }
    }

    @Test("fractions are read to the millisecond")
    func millisecondPrecision() {
        #expect(millis("2026-07-16T01:30:00Z") == 1_784_165_400_000)
        #expect(millis("2026-07-16T01:30:00.1Z") == 1_784_165_400_100)
        #expect(millis("2026-07-16T01:30:00.12Z") == 1_784_165_400_120)
        #expect(millis("2026-07-16T01:30:00.123Z") == 1_784_165_400_123)
    }

    @Test("digits beyond the millisecond are truncated, not a crash")
    func microsecondsTruncate() {
        #expect(millis("2026-07-16T01:30:00.123456Z") == 1_784_165_400_123)
        #expect(millis("2026-07-16T01:30:00.9999Z") == 1_784_165_400_999)
    }

    @Test("an offset is converted to UTC")
    func offsets() {
        #expect(millis("2026-07-16T09:30:00.000+08:00") == millis("2026-07-16T01:30:00.000Z"))
        #expect(millis("2026-07-15T20:00:00.000-05:30") == millis("2026-07-16T01:30:00.000Z"))
        #expect(Timestamp(iso8601: "2026-07-16T09:30:00.000+08:00")?.description == "2026-07-16T01:30:00.000Z")
    }

    @Test("an offset across midnight changes the day")
    func offsetAcrossMidnight() {
        #expect(Timestamp(iso8601: "2026-01-01T02:00:00+08:00")?.description == "2025-12-31T18:00:00.000Z")
    }

    @Test("February 30 is refused")
    func rejectsFebruary30() {
        #expect(Timestamp(iso8601: "2026-02-30T00:00:00.000Z") == nil)
    }

    @Test("February 29 exists only in leap years")
    func leapYears() {
        #expect(Timestamp(iso8601: "2024-02-29T00:00:00.000Z") != nil)
        #expect(Timestamp(iso8601: "2000-02-29T00:00:00.000Z") != nil)
        #expect(Timestamp(iso8601: "2025-02-29T00:00:00.000Z") == nil)
        #expect(Timestamp(iso8601: "1900-02-29T00:00:00.000Z") == nil)
        #expect(Timestamp(iso8601: "2100-02-29T00:00:00.000Z") == nil)
    }

    @Test("malformed timestamps are refused",
          arguments: ["", "2026-07-16", "2026-07-16T01:30:00", "2026-07-16T24:00:00Z", "2026-07-16T01:60:00Z",
                      "2026-07-16T01:30:60Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-07-16T01:30:00.Z",
                      "2026-07-16T01:30:00Zjunk", "2026-07-16T01:30:00+24:00", "2026-07-16T01:30:00+0800",
                      "26-07-16T01:30:00Z", "2026-07-16T1:30:00Z", "２０２６-07-16T01:30:00Z"])
    func malformed(_ text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test("a Date converts to whole milliseconds, rounding down")
    func fromDate() {
        #expect(Timestamp(Date(timeIntervalSince1970: 1.2345)).millisecondsSinceEpoch == 1_234)
        #expect(Timestamp(Date(timeIntervalSince1970: -0.0005)).millisecondsSinceEpoch == -1)
    }

    @Test("timestamps order by instant")
    func ordering() {
        let early = Timestamp(millisecondsSinceEpoch: 5), late = early.adding(milliseconds: 1)
        #expect(early < late)
    }
}
