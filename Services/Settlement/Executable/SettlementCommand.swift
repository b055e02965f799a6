import ArgumentParser
import Foundation
import ServiceRuntime
import SettlementService

/// The settlement service: funds accounts, pre-trade reservations, delivery versus payment,
/// end-of-day statements and reconciliation (DESIGN.md section 1).
@main
struct SettlementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settlement",
        abstract: """
            The settlement system: consumes settlement.commands, market.orders (buys), matching.events and \
            registry.events (deliveries); emits settlement.events.
            """)

    @OptionGroup var options: ServiceOptions

    @Option(name: .customLong("fee-ppm"), help: """
        Fee per side on traded value, in parts per million (env ECO_SETTLEMENT_FEE_PPM; default 500 = 0.05%). \
        A reservation keeps the rate it was made with.
        """)
    var feePpm: Int64?

    @Option(name: .customLong("leg-timeout-seconds"), help: """
        How long one leg of a trade may wait for the other before the settlement alarm \
        (env ECO_SETTLEMENT_LEG_TIMEOUT_SECONDS; default 300).
        """)
    var legTimeoutSeconds: Double?

    @Option(name: .customLong("snapshot-every-entries"), help: """
        Besides each day's close, store the funds ledger's snapshot once the journal is this many \
        entries past the stored one, so a restart replays at most about that many; 0 for at closes only \
        (env ECO_SETTLEMENT_SNAPSHOT_EVERY_ENTRIES; default 1000000).
        """)
    var snapshotEveryEntries: Int64?

    @Flag(name: .customLong("proceeds-same-day"), help: """
        Make sale proceeds withdrawable at once instead of from the next trading day \
        (env ECO_SETTLEMENT_PROCEEDS_SAME_DAY=1).
        """)
    var proceedsSameDay = false

    func run() async throws {
        let handler: SettlementHandler
        do {
            handler = try SettlementHandler(configuration: try resolve())
        } catch {
            throw ValidationError("\(error)")
        }
        try await ServiceMain.run(handler: handler, options: options, defaultAdminPort: 8083)
    }

    /// The flags, then `ECO_SETTLEMENT_*` variables, then the defaults of RULES.md.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SettlementConfiguration {
        let feeText = feePpm.map(String.init) ?? environment["ECO_SETTLEMENT_FEE_PPM"] ?? "500"
        guard let fee = Int64(feeText) else { throw ValidationError("--fee-ppm '\(feeText)' is not a whole number") }
        let timeoutText = legTimeoutSeconds.map { String($0) } ?? environment["ECO_SETTLEMENT_LEG_TIMEOUT_SECONDS"] ?? "300"
        guard let seconds = Double(timeoutText) else {
            throw ValidationError("--leg-timeout-seconds '\(timeoutText)' is not a number")
        }
        let sameDay = proceedsSameDay
            || ["1", "true", "yes"].contains(environment["ECO_SETTLEMENT_PROCEEDS_SAME_DAY"]?.lowercased() ?? "")
        let every = try LedgerSnapshotCadence.entries(flag: snapshotEveryEntries, variable: "ECO_SETTLEMENT_SNAPSHOT_EVERY_ENTRIES",
                                                      environment: environment)
        do {
            var configuration = try SettlementConfiguration(feePartsPerMillion: fee, legTimeoutSeconds: seconds,
                                                            proceedsWithdrawableSameDay: sameDay)
            configuration.snapshotEveryEntries = every
            return configuration
        } catch {
            throw ValidationError(error.description)
        }
    }
}
