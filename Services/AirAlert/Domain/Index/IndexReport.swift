/// The operator report behind `air-alert index --o3-1h X --o3-8h Y [--standard ID]`.
///
/// The executable only parses flags and prints `render()`; everything an operator sees is
/// decided here so it can be tested without a process.
public struct IndexReport: Sendable, Equatable {
    /// The standard used when the command line names none. A fixed default, not "the edition in
    /// force today": the domain never reads the clock.
    public static let defaultStandardId = AQIStandard.hj633_2012.id

    public let standard: AQIStandard
    public let assessment: AQIAssessment

    /// - Parameters:
    ///   - o3OneHour: O3 1-hour concentration, ug/m3.
    ///   - o3EightHour: O3 8-hour moving average, ug/m3.
    ///   - standardId: `hj633-2012` (default) or `hj633-2026`.
    /// - Throws: `invalid-concentration` for a negative or non-finite value, `unknown-standard`.
    public init(o3OneHour: Double, o3EightHour: Double, standardId: String? = nil,
                standards: [AQIStandard] = AQIStandard.builtIn) throws {
        let standard = try AQIStandard.named(standardId ?? Self.defaultStandardId, in: standards)
        let reading = try AQIReading(o3OneHour: Concentration(o3OneHour),
                                     o3EightHour: Concentration(o3EightHour))
        try self.init(reading: reading, standard: standard)
    }

    /// A report for any reading.
    /// - Throws: `not-indexable` when nothing in the reading can be indexed.
    public init(reading: AQIReading, standard: AQIStandard) throws {
        self.standard = standard
        assessment = try standard.assess(reading)
    }

    /// A few lines of plain text, for example:
    /// ```
    /// standard   HJ 633-2012 (hj633-2012, effective 2016-01-01)
    /// O3 1-hour  180 ug/m3 -> IAQI 75
    /// O3 8-hour  220 ug/m3 -> IAQI 155
    /// O3 index   155 (the larger of the O3 1-hour and 8-hour IAQIs)
    /// AQI        155, level 4 moderate (中度污染)
    /// primary    O3 8-hour
    /// ```
    public func render() -> String {
        var lines = ["standard   \(standard.title) (\(standard.id), effective \(standard.effectiveFrom))"]
        for sub in assessment.subIndices {
            lines.append(pad(sub.pollutant.name) + "\(sub.concentration) ug/m3 -> " + describe(sub))
        }
        if let o3Index = assessment.o3Index {
            lines.append(pad("O3 index") + "\(o3Index) (\(o3Rule))")
        }
        let band = assessment.band
        lines.append(pad("AQI") + "\(assessment.aqi), level \(band.level) \(band.rawValue) (\(band.chineseName))")
        let primary = assessment.primaryPollutants.map(\.name).joined(separator: ", ")
        lines.append(pad("primary") + (primary.isEmpty ? "none (AQI <= 50)" : primary))
        return lines.joined(separator: "\n")
    }

    private func describe(_ sub: SubIndex) -> String {
        if let iaqi = sub.iaqi { return "IAQI \(iaqi)" }
        let limit = standard.table(for: sub.pollutant).map { " (above \($0.lastBreakpoint) ug/m3)" } ?? ""
        return "not indexed\(limit)"
    }

    private var o3Rule: String {
        let eightHourNotIndexed = assessment.subIndices.contains { $0.pollutant == .o3EightHour && $0.iaqi == nil }
        return eightHourNotIndexed
            ? "the O3 1-hour IAQI: the 8-hour value is not indexed above 800 ug/m3"
            : "the larger of the O3 1-hour and 8-hour IAQIs"
    }

    private func pad(_ label: String) -> String {
        label + String(repeating: " ", count: max(1, 11 - label.count))
    }
}
