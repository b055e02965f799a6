/// A versioned rule set for the air quality index: the breakpoint tables of one edition of
/// HJ 633 and the day it took effect.
///
/// Authorities revise these tables (HJ 633-2012, then HJ 633-2026), and a forecast for a day
/// must be indexed with the edition in force on that day, so editions are values selected by
/// id or by date rather than constants baked into the formula.
public struct AQIStandard: Sendable, Equatable, Codable, Identifiable {
    /// Stable id such as `hj633-2012`.
    public let id: String
    /// The citation an operator recognises, e.g. `HJ 633-2012`.
    public let title: String
    /// First day (CST) on which this edition applies.
    public let effectiveFrom: CalendarDay
    public let tables: [BreakpointTable]

    /// - Throws: `invalid-standard` for an empty id or two tables for one pollutant.
    public init(id: String, title: String, effectiveFrom: CalendarDay, tables: [BreakpointTable]) throws {
        guard !id.isEmpty, Set(tables.map(\.pollutant)).count == tables.count else {
            throw AirAlertError.invalid("standard", "a standard needs an id and one table per pollutant")
        }
        self.id = id
        self.title = title
        self.effectiveFrom = effectiveFrom
        self.tables = tables
    }

    private enum CodingKeys: String, CodingKey { case id, title, effectiveFrom, tables }

    /// Validates an edition loaded from configuration.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(id: c.decode(String.self, forKey: .id), title: c.decode(String.self, forKey: .title),
                      effectiveFrom: c.decode(CalendarDay.self, forKey: .effectiveFrom),
                      tables: c.decode([BreakpointTable].self, forKey: .tables))
    }

    public func table(for pollutant: Pollutant) -> BreakpointTable? {
        tables.first { $0.pollutant == pollutant }
    }

    /// The IAQI of one pollutant, or `nil` when the standard has no table for it or the value is
    /// not indexed (O3 8-hour above 800 ug/m3 under HJ 633-2012).
    public func subIndex(_ pollutant: Pollutant, _ concentration: Concentration) -> Int? {
        table(for: pollutant)?.subIndex(concentration)
    }

    /// The built-in editions, oldest first.
    public static let builtIn: [AQIStandard] = [.hj633_2012, .hj633_2026]

    /// The edition with this id among `standards`.
    /// - Throws: `unknown-standard` naming the ids that exist.
    public static func named(_ id: String, in standards: [AQIStandard] = builtIn) throws -> AQIStandard {
        guard let standard = standards.first(where: { $0.id == id }) else {
            let known = standards.map(\.id).joined(separator: ", ")
            throw AirAlertError(code: "unknown-standard", reason: "no AQI standard '\(id)' (known: \(known))")
        }
        return standard
    }

    /// The edition in force on `day`: the one with the latest `effectiveFrom` not after it.
    /// - Throws: `no-standard-in-force` when `day` precedes every edition.
    public static func effective(on day: CalendarDay, in standards: [AQIStandard] = builtIn) throws -> AQIStandard {
        let inForce = standards.filter { $0.effectiveFrom <= day }
        guard let standard = inForce.max(by: { $0.effectiveFrom < $1.effectiveFrom }) else {
            throw AirAlertError(code: "no-standard-in-force", reason: "no AQI standard is in force on \(day)")
        }
        return standard
    }
}
