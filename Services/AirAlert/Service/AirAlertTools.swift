import AirAlertDomain
import Foundation

/// What the `air-alert` executable's offline subcommands do, kept here so the executable stays a
/// thin argument parser (it depends on this module, not on the domain).
public enum AirAlertTools {
    /// The plain-text index report of `air-alert index` (see `IndexReport.render()`).
    /// - Parameter standardId: `hj633-2012` (default) or `hj633-2026`.
    /// - Throws: `ConfigurationError` with the domain's reason for a negative or non-finite
    ///   concentration or an unknown standard.
    public static func indexReport(o3OneHour: Double, o3EightHour: Double, standardId: String?) throws -> String {
        do {
            return try IndexReport(o3OneHour: o3OneHour, o3EightHour: o3EightHour, standardId: standardId).render()
        } catch let error as AirAlertError {
            throw ConfigurationError(error.reason)
        }
    }

    /// The ids of the built-in AQI standards, for help texts.
    public static var standardIds: [String] { AQIStandard.builtIn.map(\.id) }

    /// The measure table in effect (the file's, checked, or the defaults) as pretty JSON.
    public static func measuresJSON(path: String?) throws -> String {
        try prettyJSON(AirAlertConfiguration.load(rulesPath: nil, measuresPath: path).measures)
    }

    /// The rules in effect (the file's, checked, or the defaults) as pretty JSON.
    public static func rulesJSON(path: String?) throws -> String {
        try prettyJSON(AirAlertConfiguration.load(rulesPath: path, measuresPath: nil).rules)
    }

    private static func prettyJSON<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
