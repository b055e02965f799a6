import AirAlertService
import ArgumentParser
import Foundation
import ServiceRuntime

/// The ozone warning service (DESIGN.md section 1) and its offline tools.
///
/// `run` is the default subcommand, so `air-alert --brokers ... --db ... --admin-port ...` starts
/// the service the way every other service starts.
@main
struct AirAlertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "air-alert",
        abstract: "Ozone heavy-pollution warnings: air.observations and registry.events in, air.alerts out.",
        subcommands: [Run.self, Index.self, Measures.self, Rules.self],
        defaultSubcommand: Run.self)
}

/// The service.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the service (the default): consumes air.observations and registry.events, emits air.alerts.")

    @OptionGroup var options: ServiceOptions

    @Option(help: "Measure table JSON (env ECO_AIR_MEASURES; default: built-in, as deploy/rules/air-measures.json).")
    var measures: String?

    @Option(help: "Warning and observation rules JSON (env ECO_AIR_RULES; default: built-in, as deploy/rules/air-rules.json).")
    var rules: String?

    @Option(name: .customLong("observation-retention-days"),
            help: "Days a station's hourly reading is kept, at least the rules' de-duplication window + 30 (env ECO_AIR_OBSERVATION_RETENTION_DAYS; default \(AirAlertConfiguration.defaultObservationRetentionDays)).")
    var observationRetentionDays: Int?

    func validate() throws {
        _ = try configuration()
    }

    func run() async throws {
        let configuration = try configuration()
        try await ServiceMain.run(handler: AirAlertHandler(configuration: configuration), options: options,
                                  defaultAdminPort: 8084)
    }

    private func configuration() throws -> AirAlertConfiguration {
        do {
            let environment = ProcessInfo.processInfo.environment
            let retentionText = observationRetentionDays.map(String.init) ?? environment["ECO_AIR_OBSERVATION_RETENTION_DAYS"]
            let retention = try retentionText.map { text in
                guard let days = Int(text) else {
                    throw ConfigurationError("--observation-retention-days '\(text)' is not a whole number of days")
                }
                return days
            } ?? AirAlertConfiguration.defaultObservationRetentionDays
            return try AirAlertConfiguration.load(rulesPath: rules ?? environment["ECO_AIR_RULES"],
                                                  measuresPath: measures ?? environment["ECO_AIR_MEASURES"],
                                                  observationRetentionDays: retention)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
}

/// The ozone index of two concentrations, without a broker.
struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the O3 IAQIs, AQI, band and primary pollutant of an O3 1-hour and 8-hour value.")

    @Option(name: .customLong("o3-1h"), parsing: .unconditional, help: "O3 1-hour concentration, ug/m3.")
    var o3OneHour: Double

    @Option(name: .customLong("o3-8h"), parsing: .unconditional, help: "O3 8-hour moving average, ug/m3.")
    var o3EightHour: Double

    @Option(help: "AQI standard: \(AirAlertTools.standardIds.joined(separator: " or ")) (default hj633-2012).")
    var standard: String?

    /// Refusals surface here, so ArgumentParser shows this subcommand's usage with the reason.
    func validate() throws {
        _ = try report()
    }

    func run() throws {
        print(try report())
    }

    private func report() throws -> String {
        try asValidationError { try AirAlertTools.indexReport(o3OneHour: o3OneHour, o3EightHour: o3EightHour, standardId: standard) }
    }
}

/// Prints the measure table in effect, after checking it.
struct Measures: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a measure table and print it as JSON (the built-in defaults without --measures).")

    @Option(help: "Measure table JSON to check.") var measures: String?

    func validate() throws {
        _ = try json()
    }

    func run() throws {
        print(try json())
    }

    private func json() throws -> String {
        try asValidationError { try AirAlertTools.measuresJSON(path: measures) }
    }
}

/// Prints the rules in effect, after checking them.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a rules file and print it as JSON (the built-in defaults without --rules).")

    @Option(help: "Rules JSON to check.") var rules: String?

    func validate() throws {
        _ = try json()
    }

    func run() throws {
        print(try json())
    }

    private func json() throws -> String {
        try asValidationError { try AirAlertTools.rulesJSON(path: rules) }
    }
}

/// A configuration the tool cannot use is the user's input error: ArgumentParser prints it with
/// the usage instead of a crash report.
private func asValidationError<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ConfigurationError {
        throw ValidationError(error.description)
    }
}
