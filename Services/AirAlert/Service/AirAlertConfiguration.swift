import AirAlertDomain
import Foundation

/// Everything the air-alert service decides by: the warning lifecycle (levels, lift and lead
/// times, AQI editions), the bounds on station readings, and the measure table.
///
/// RULES.md: every number is configuration that authorities revise, so each part loads from a
/// JSON file (`--rules`, `--measures`; examples with the defaults in `deploy/rules/air-*.json`)
/// and is checked before the service consumes anything.
public struct AirAlertConfiguration: Sendable, Equatable {
    public var rules: AirAlertRules
    public var measures: MeasureTable
    /// Days a station hour stays in the observation record (`air_station_hours`); an operator's
    /// setting (`--observation-retention-days`), not one of the authority's rules.
    public var observationRetentionDays: Int

    public static let defaultObservationRetentionDays = 400

    public init(rules: AirAlertRules = AirAlertRules(), measures: MeasureTable = .defaults,
                observationRetentionDays: Int = Self.defaultObservationRetentionDays) {
        self.rules = rules
        self.measures = measures
        self.observationRetentionDays = observationRetentionDays
    }

    /// Loads the files that are given; the defaults stand in for the others.
    /// - Throws: `ConfigurationError` naming the file and what is wrong with it.
    public static func load(rulesPath: String?, measuresPath: String?,
                            observationRetentionDays: Int = defaultObservationRetentionDays) throws -> AirAlertConfiguration {
        var configuration = AirAlertConfiguration(observationRetentionDays: observationRetentionDays)
        if let rulesPath {
            configuration.rules = try decode(AirAlertRules.self, at: rulesPath)
        }
        if let measuresPath {
            configuration.measures = try read(measuresPath) { try MeasureTable.load(json: $0) }
        }
        try configuration.validate()
        return configuration
    }

    /// Checks what the contract will require of the events built from this configuration.
    /// - Throws: `ConfigurationError` for a measure list a `ControlDirectiveIssued` could not carry,
    ///   or rules that make no sense (no levels, no AQI edition).
    public func validate() throws {
        try MeasureTableCheck.validate(measures)
        guard !rules.lifecycle.warning.levels.isEmpty else {
            throw ConfigurationError("the warning rules define no level")
        }
        guard !rules.lifecycle.standards.isEmpty else {
            throw ConfigurationError("the rules name no AQI standard (HJ 633 edition)")
        }
        guard rules.lifecycle.liftAfterCleanHours > 0, rules.observations.dedupWindowSeconds >= 3600 else {
            throw ConfigurationError("liftAfterCleanHours must be positive and dedupWindowSeconds at least 3600")
        }
        // A kept hour must outlive the window in which a copy of its reading is still accepted,
        // with a margin for partitions of air.observations that run behind the others.
        let windowDays = (rules.observations.dedupWindowSeconds + 86_399) / 86_400
        let least = windowDays + StationHourRetention.marginDays
        guard observationRetentionDays >= least, observationRetentionDays <= 36_500 else {
            throw ConfigurationError("the observation retention (\(observationRetentionDays) days) must be at least the "
                + "de-duplication window (\(windowDays) days) + \(StationHourRetention.marginDays), \(least) days, "
                + "and at most 36500 days")
        }
    }

    private static func decode<T: Decodable>(_: T.Type, at path: String) throws -> T {
        try read(path) { try JSONDecoder().decode(T.self, from: $0) }
    }

    private static func read<T>(_ path: String, _ parse: (Data) throws -> T) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try parse(data)
        } catch let error as DecodingError {
            throw ConfigurationError("\(path) is not a valid configuration: \(describe(error))")
        } catch {
            throw ConfigurationError("\(path) is not a valid configuration: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case let .keyNotFound(key, context): return "missing \(path(context)).\(key.stringValue)"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// The rules file (`--rules`): the warning lifecycle and the bounds on station readings.
public struct AirAlertRules: Sendable, Equatable, Codable {
    public var lifecycle: AlertLifecycleRules
    public var observations: ObservationRules

    public init(lifecycle: AlertLifecycleRules = AlertLifecycleRules(),
                observations: ObservationRules = ObservationRules(maxConcentration: 10_000)) {
        self.lifecycle = lifecycle
        self.observations = observations
    }
}

/// A configuration the service refuses to start with, and why.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What a `ControlDirectiveIssued` can carry (contract: at most 32 measures of at most 256 bytes).
enum MeasureTableCheck {
    static let maxMeasures = 32
    static let maxMeasureBytes = 256

    static func validate(_ table: MeasureTable) throws {
        for level in AlertLevel.allCases {
            let groups = table.measures(at: level)
            let named: [(String, MeasureTable.Measures)] = [
                ("vocEmitters", groups.vocEmitters), ("constructionSites", groups.constructionSites),
                ("otherEnterprises", groups.otherEnterprises),
            ]
            var total = 0
            for (name, measures) in named {
                for (kind, list) in [("standard", measures.standard), ("greenBenchmark", measures.greenBenchmark ?? [])] {
                    for text in list where text.isEmpty || text.utf8.count > maxMeasureBytes {
                        throw ConfigurationError("\(level.rawValue).\(name).\(kind): measure '\(text.prefix(40))' "
                            + "must be 1 to \(maxMeasureBytes) bytes")
                    }
                }
                total += max(measures.standard.count, measures.greenBenchmark?.count ?? 0)
            }
            // An enterprise can be in two groups (a VOC-emitting construction site).
            guard total <= maxMeasures else {
                throw ConfigurationError("\(level.rawValue): the groups list \(total) measures; "
                    + "a directive carries at most \(maxMeasures)")
            }
        }
    }
}
