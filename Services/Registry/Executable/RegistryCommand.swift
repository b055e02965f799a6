import ArgumentParser
import Foundation
import RegistryService
import ServiceRuntime

/// The registry service: enterprises, allowances, holds and compliance (DESIGN.md section 1).
@main
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "The carbon registry service: consumes registry.commands, market.orders (sells) and matching.events; emits registry.events.")

    @OptionGroup var options: ServiceOptions

    @Option(help: """
        Allocation rules JSON, e.g. deploy/rules/allocation-2019-2020.json (env ECO_ALLOCATION_RULES; \
        default: the built-in 2019-2020 power-sector plan).
        """)
    var rules: String?

    @Option(name: .customLong("compliance-rules"), help: """
        Compliance rules JSON: offsetCapBasisPoints, shortfallCapBasisPoints, version (env ECO_COMPLIANCE_RULES; \
        default: the first compliance cycle, 5% CCER cap and 20% shortfall cap).
        """)
    var complianceRules: String?

    @Option(name: .customLong("snapshot-every-entries"), help: """
        Besides each new trading day, store the holdings ledger's snapshot once the journal is this many \
        entries past the stored one, so a restart replays at most about that many; 0 for at day starts only \
        (env ECO_REGISTRY_SNAPSHOT_EVERY_ENTRIES; default 1000000).
        """)
    var snapshotEveryEntries: Int64?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = RegistryConfiguration()
        configuration.snapshotEveryEntries = Int(try LedgerSnapshotCadence.entries(
            flag: snapshotEveryEntries, variable: "ECO_REGISTRY_SNAPSHOT_EVERY_ENTRIES", environment: environment))
        do {
            if let path = rules ?? environment["ECO_ALLOCATION_RULES"], !path.isEmpty {
                try configuration.loadAllocationRules(from: URL(fileURLWithPath: path))
            }
            if let path = complianceRules ?? environment["ECO_COMPLIANCE_RULES"], !path.isEmpty {
                try configuration.loadComplianceRules(from: URL(fileURLWithPath: path))
            }
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        try await ServiceMain.run(handler: RegistryHandler(configuration: configuration), options: options, defaultAdminPort: 8081)
    }
}
