/// The two editions of HJ 633 as data.
///
/// HJ 633-2012 Table 1, IAQI ladder 0/50/100/150/200/300/400/500 (ug/m3):
///
/// | pollutant       | breakpoints                                   | above the last |
/// |-----------------|-----------------------------------------------|----------------|
/// | O3 1-hour       | 0 160 200 300 400 800 1000 1200               | 500            |
/// | O3 8-hour       | 0 100 160 215 265 800                         | not indexed    |
/// | PM2.5 24-hour   | 0 35 75 115 150 250 350 500                   | 500            |
/// | PM10 24-hour    | 0 50 150 250 350 420 500 600                  | 500            |
/// | NO2 24-hour     | 0 40 80 180 280 565 750 940                   | 500            |
/// | NO2 1-hour      | 0 100 200 700 1200 2340 3090 3840             | 500            |
///
/// Above the last breakpoint of a table with a 500 row, the index is reported as 500, the top of
/// the scale ("beyond the table" means at least as bad as its worst row; the scale has no 501).
/// The O3 8-hour table stops at 800: HJ 633-2012 does not index an 8-hour value above 800 and
/// reports the 1-hour index instead; HJ 633-2026 caps it at 300.
extension AQIStandard {
    /// HJ 633-2012, in force nationwide from 2016-01-01 together with GB 3095-2012.
    public static let hj633_2012 = edition(
        id: "hj633-2012", title: "HJ 633-2012", effectiveFrom: .literal(2016, 1, 1),
        pm25: [0, 35, 75, 115, 150, 250, 350, 500],
        pm10: [0, 50, 150, 250, 350, 420, 500, 600],
        o3EightHourAbove800: nil)

    /// HJ 633-2026, published with GB 3095-2026.
    ///
    /// From RULES.md (which cites the aqi-hub 0.3.x implementation): the O3 breakpoints are
    /// unchanged, an O3 8-hour value above 800 ug/m3 is indexed 300, and the good/light boundary
    /// (IAQI 100) moves to 60 ug/m3 for PM2.5 and to 120 ug/m3 for PM10.
    /// Unverified: every other 2026 value (the NO2 tables and the remaining PM2.5/PM10
    /// breakpoints are carried over from 2012, as the aqi-hub 0.3.x implementation does, not
    /// checked against the standard's text) and the effective date 2026-03-01 (from a press
    /// report of the standard's publication, not the standard itself).
    public static let hj633_2026 = edition(
        id: "hj633-2026", title: "HJ 633-2026", effectiveFrom: .literal(2026, 3, 1),
        pm25: [0, 35, 60, 115, 150, 250, 350, 500],
        pm10: [0, 50, 120, 250, 350, 420, 500, 600],
        o3EightHourAbove800: 300)

    private static func edition(id: String, title: String, effectiveFrom: CalendarDay,
                                pm25: [Concentration], pm10: [Concentration],
                                o3EightHourAbove800: Int?) -> AQIStandard {
        let tables: [BreakpointTable] = [
            .standardLadder(.o3OneHour, [0, 160, 200, 300, 400, 800, 1000, 1200], aboveLastBreakpoint: 500),
            .standardLadder(.o3EightHour, [0, 100, 160, 215, 265, 800], aboveLastBreakpoint: o3EightHourAbove800),
            .standardLadder(.pm25, pm25, aboveLastBreakpoint: 500),
            .standardLadder(.pm10, pm10, aboveLastBreakpoint: 500),
            .standardLadder(.no2OneHour, [0, 100, 200, 700, 1200, 2340, 3090, 3840], aboveLastBreakpoint: 500),
            .standardLadder(.no2TwentyFourHour, [0, 40, 80, 180, 280, 565, 750, 940], aboveLastBreakpoint: 500),
        ]
        guard let standard = try? AQIStandard(id: id, title: title,
                                              effectiveFrom: effectiveFrom,
                                              tables: tables) else {
            preconditionFailure("built-in AQI standard \(id) is malformed")
        }
        return standard
    }
}
