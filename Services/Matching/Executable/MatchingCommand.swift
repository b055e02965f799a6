import ArgumentParser
import Foundation
import MatchingService
import ServiceRuntime

/// The matching service: order books, sessions and the trading calendar (DESIGN.md section 4).
@main
struct MatchingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matching",
        abstract: "The trading system: consumes market.orders and the holds on registry.events and settlement.events, emits matching.events.")

    @OptionGroup var options: ServiceOptions

    @Option(name: .customLong("snapshot-every"),
            help: "Store a snapshot of the engine every N journaled inputs; 0 for never (env ECO_MATCHING_SNAPSHOT_EVERY; default 10000).")
    var snapshotEvery: Int?

    @Option(name: .customLong("snapshot-bytes-per-input"),
            help: "...but for a large state no more often than one journaled input per N bytes of the last snapshot (env ECO_MATCHING_SNAPSHOT_BYTES_PER_INPUT; default 64).")
    var snapshotBytesPerInput: Int?

    @Flag(name: .customLong("keep-journal"),
          help: "Keep the whole input journal instead of pruning what the snapshots cover (env ECO_MATCHING_KEEP_JOURNAL=1).")
    var keepJournal = false

    @Flag(name: .customLong("publish-depth"),
          help: "Publish MarketDepthUpdated on market.depth after every change of a listed book (env ECO_MATCHING_PUBLISH_DEPTH=1).")
    var publishDepth = false

    @Flag(name: .customLong("schedule"),
          help: "Open, phase and close sessions by the trading calendar, China Standard Time (env ECO_MATCHING_SCHEDULE=1).")
    var schedule = false

    @Option(name: .customLong("schedule-instruments"), help: "Comma-separated instruments the calendar drives.")
    var scheduleInstruments = "CEA"

    @Option(name: .customLong("schedule-windows"), help: "Trading windows per method, local time.")
    var scheduleWindows = TradingCalendar.standardWindowsText

    @Option(name: .customLong("holidays"), help: "Comma-separated non-trading weekdays, yyyy-MM-dd.")
    var holidays = ""

    @Option(name: .customLong("utc-offset-minutes"), help: "Local time's offset from UTC for the calendar (480: China Standard Time).")
    var utcOffsetMinutes: Int64 = 480

    func run() async throws {
        try await ServiceMain.run(handler: MatchingHandler(configuration: try resolve()), options: options,
                                  defaultAdminPort: 8082)
    }

    /// The flags, then `ECO_MATCHING_*` variables, then the defaults.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MatchingConfiguration {
        func enabled(_ flag: Bool, _ name: String) -> Bool { flag || ["1", "true", "yes"].contains(environment[name]?.lowercased() ?? "") }
        let everyText = snapshotEvery.map(String.init) ?? environment["ECO_MATCHING_SNAPSHOT_EVERY"] ?? "10000"
        guard let every = Int(everyText), every >= 0 else {
            throw ValidationError("--snapshot-every '\(everyText)' must be a whole number, 0 or more")
        }
        let bytesText = snapshotBytesPerInput.map(String.init) ?? environment["ECO_MATCHING_SNAPSHOT_BYTES_PER_INPUT"] ?? "64"
        guard let bytesPerInput = Int(bytesText), bytesPerInput >= 1 else {
            throw ValidationError("--snapshot-bytes-per-input '\(bytesText)' must be a whole number, 1 or more")
        }
        var configuration = MatchingConfiguration(snapshotEvery: every, snapshotBytesPerInput: bytesPerInput,
                                                  keepJournal: enabled(keepJournal, "ECO_MATCHING_KEEP_JOURNAL"),
                                                  publishDepth: enabled(publishDepth, "ECO_MATCHING_PUBLISH_DEPTH"))
        if enabled(schedule, "ECO_MATCHING_SCHEDULE") {
            configuration.calendar = try calendar()
        }
        return configuration
    }

    private func calendar() throws -> TradingCalendar {
        do {
            return try TradingCalendar(instruments: scheduleInstruments, windows: scheduleWindows, holidays: holidays,
                                       utcOffsetMinutes: utcOffsetMinutes)
        } catch {
            throw ValidationError("schedule: \(error)")
        }
    }
}
