/// One row of HJ 633's Table 1 for one pollutant: concentration breakpoints and the IAQI each
/// one maps to, plus what to report above the last breakpoint.
///
/// Kept as data (Codable) so that a revision of the standard is a new table, not new code.
public struct BreakpointTable: Sendable, Equatable {
    /// A concentration and the IAQI it maps to.
    public struct Point: Sendable, Equatable, Codable {
        public let concentration: Concentration
        public let iaqi: Int

        public init(_ concentration: Concentration, _ iaqi: Int) {
            self.concentration = concentration
            self.iaqi = iaqi
        }
    }

    public let pollutant: Pollutant
    /// Strictly increasing in both concentration and IAQI, starting at (0, 0).
    public let points: [Point]
    /// The IAQI reported for a concentration above the last breakpoint; `nil` when such a value
    /// is not indexed at all (HJ 633-2012's O3 8-hour rule: the 1-hour index is used instead).
    public let aboveLastBreakpoint: Int?

    /// - Throws: `invalid-breakpoints` unless the points start at (0, 0) and increase strictly.
    public init(pollutant: Pollutant, points: [Point], aboveLastBreakpoint: Int?) throws {
        guard points.count >= 2, points[0].concentration.tenths == 0, points[0].iaqi == 0,
              zip(points, points.dropFirst()).allSatisfy({ $0.concentration < $1.concentration && $0.iaqi < $1.iaqi })
        else {
            throw AirAlertError.invalid("breakpoints",
                                        "the \(pollutant) table must start at 0 and increase strictly")
        }
        self.pollutant = pollutant
        self.points = points
        self.aboveLastBreakpoint = aboveLastBreakpoint
    }

    /// The highest concentration the table interpolates.
    public var lastBreakpoint: Concentration { points[points.count - 1].concentration }

    /// IAQI = (IAQI_hi - IAQI_lo) / (BP_hi - BP_lo) x (C - BP_lo) + IAQI_lo, rounded up.
    ///
    /// Computed exactly in integers: `IAQI_lo + ceil((IAQI_hi - IAQI_lo) x (C - BP_lo) / (BP_hi - BP_lo))`
    /// with concentrations in tenths of ug/m3. At a breakpoint both neighbouring segments give the
    /// same value, so which one is used does not matter.
    /// - Returns: the index, `aboveLastBreakpoint` beyond the table, or `nil` when not indexed.
    public func subIndex(_ concentration: Concentration) -> Int? {
        let c = concentration.tenths
        for (low, high) in zip(points, points.dropFirst()) where c <= high.concentration.tenths {
            let span = high.concentration.tenths - low.concentration.tenths
            let numerator = (high.iaqi - low.iaqi) * (c - low.concentration.tenths)
            return low.iaqi + (numerator + span - 1) / span
        }
        return aboveLastBreakpoint
    }
}

extension BreakpointTable {
    /// Builds a table from whole-ug/m3 breakpoints paired with the standard IAQI ladder
    /// 0, 50, 100, 150, 200, 300, 400, 500 (a table may stop early, like O3 8-hour).
    static func standardLadder(_ pollutant: Pollutant, _ breakpoints: [Concentration],
                               aboveLastBreakpoint: Int?) -> BreakpointTable {
        let ladder = [0, 50, 100, 150, 200, 300, 400, 500]
        let points = zip(breakpoints, ladder).map { Point($0, $1) }
        // The built-in tables are literals checked by the test suite; a failure here is a typo
        // in this file, so it traps rather than throwing through every caller.
        guard let table = try? BreakpointTable(pollutant: pollutant, points: points,
                                               aboveLastBreakpoint: aboveLastBreakpoint) else {
            preconditionFailure("built-in breakpoint table for \(pollutant) is malformed")
        }
        return table
    }
}

extension BreakpointTable: Codable {
    private enum CodingKeys: String, CodingKey { case pollutant, points, aboveLastBreakpoint }

    /// Validates a table loaded from configuration.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(pollutant: container.decode(Pollutant.self, forKey: .pollutant),
                      points: container.decode([Point].self, forKey: .points),
                      aboveLastBreakpoint: container.decodeIfPresent(Int.self, forKey: .aboveLastBreakpoint))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pollutant, forKey: .pollutant)
        try container.encode(points, forKey: .points)
        try container.encodeIfPresent(aboveLastBreakpoint, forKey: .aboveLastBreakpoint)
    }
}
