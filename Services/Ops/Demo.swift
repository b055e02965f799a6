import ArgumentParser
import Contract
import EcoTestKit
import Foundation

/// The system's main job: start the broker and the services, play a realistic scenario through
/// the topics, and end with a readable summary.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the broker and services and play the demo scenario, ending with a summary.")
    @Flag(help: "A smaller scenario (for tests).") var fast = false
    @Option(help: "Use an already running broker and services at these brokers instead of starting them.") var attach: String?
    @Option(help: "Where the services' SQLite files and logs go.") var workdir: String = ".run/demo"
    @Option(help: "Seed of the generated market.") var seed: UInt64 = 2021
    @Option(help: "Power plants to register (default 2,162; 200 with --fast).") var powerPlants: Int?
    @Flag(help: "Leave the broker and services running after the summary (until Ctrl-C).") var keepRunning = false

    func validate() throws {
        if let powerPlants, !(1...20_000).contains(powerPlants) { throw ValidationError("--power-plants must be 1...20000") }
    }

    func run() async throws {
        let progress = Progress()
        let started = Date()
        progress.step("starting the system")
        let stack = try await DemoStack(attachTo: attach, workdir: URL(fileURLWithPath: workdir), serviceNames: ["registry", "matching", "settlement", "air-alert"],
                                        log: { say("    \($0)") })
        defer { stack.stop() }
        let data = DemoData(powerPlants: powerPlants ?? (fast ? 200 : 2162), cityEnterprises: fast ? 40 : 360, seed: seed)
        let scenario = try RegistryScenario(brokers: stack.brokers, data: data, progress: progress)
        let registration: RegistrationResult
        do {
            registration = try await scenario.registerEveryone()
            scenario.close()
        } catch {
            scenario.close()
            throw error
        }
        let writer = try TopicWriter(brokers: stack.brokers)
        let log = try EventLog(brokers: stack.brokers, progress: progress)
        defer {
            log.close()
            writer.close()
        }
        var market = MarketScenario(writer: writer, log: log, data: data, progress: progress)
        let marketResult = try await market.run()
        let ozone = try await OzoneScenario(writer: writer, log: log, progress: progress).run()
        let summary = DemoSummary(registration: registration, market: marketResult, ozone: ozone, tradingDay: market.day,
                                  seconds: Date().timeIntervalSince(started),
                                  adminPorts: stack.services.mapValues(\.adminPort))
        print("")
        print(summary.render())
        if keepRunning {
            print("services keep running; press Ctrl-C to stop")
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
