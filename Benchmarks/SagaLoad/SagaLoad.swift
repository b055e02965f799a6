import ArgumentParser
import Contract
import EcoTestKit
import Foundation

/// The load generator of the order-saga benchmark (deploy/bench/saga-bench.sh starts the broker
/// and the four services, then runs this): sets up a market, offers crossing orders at a fixed
/// rate, and prints sustained orders/s and per-trade latency from submit to `TradeSettled`.
///
/// It replaced deploy/bench/saga_load.py, which used ~18% of this 2-core machine's CPU during a
/// run and so took it from the services it measured; this one does the same steps with the same
/// flags and prints the same result, with percentiles from an HdrHistogram.
@main
struct SagaLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "saga-load",
        abstract: "Order-saga load: crossing orders at a fixed rate, latency from submit to TradeSettled.",
        discussion: """
            Set-up: registers SELLERS power plants and BUYERS investors, records the plants' 2019 output \
            and pre-allocates 2020 allowances, deposits funds for every buyer and opens the CEA session \
            at 5,000 fen. Load: ORDERS orders at RATE orders/s as crossing pairs of 1 t at 5,000 fen. \
            At the end the session is closed and the reconciliation read back; rejections are counted \
            (a clean run has none). Prints one JSON object.
            """)

    @Option(help: "Kafka bootstrap servers.") var brokers: String
    @Option(help: "The registry's admin HTTP port on 127.0.0.1 (to wait for recorded outputs).") var registryAdmin: Int
    @Option(help: "Orders in all (half sells, half buys).") var orders: Int = 20_000
    @Option(help: "Orders per second offered.") var rate: Double = 1_000
    @Option(help: "Selling plants.") var sellers: Int = 20
    @Option(help: "Buying investors.") var buyers: Int = 20
    @Option(help: "Seconds to wait for each set-up step, for the last trade to settle, and for the reconciliation.")
    var timeout: Double = 300
    @Option(help: "Milliseconds between two sends of the orders that fell due (at least; 1 sends as often as the broker acknowledges). A gateway that gathers orders for a few milliseconds sends fewer, larger batches; the wait counts in every order's latency.")
    var sendEveryMs: Int = 1
    @Flag(help: "Stop waiting for settlements at the first OrderRejected.") var stopOnReject = false
    @Flag(help: "Leave the session open (no statements, no reconciliation).") var noClose = false
    @Flag(help: "Also print the latency of the trades due in each second of the load (latencyBySecond).")
    var timeline = false
    @Option(help: "Processes whose CPU over the load phase to report per order, as name=pid,... (saga-bench.sh passes the broker and the services).")
    var cpuOf: String?

    func validate() throws {
        guard orders >= 2 else { throw ValidationError("--orders must be at least 2 (orders come in pairs)") }
        guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be a positive number of orders per second") }
        guard sellers >= 1, buyers >= 1 else { throw ValidationError("--sellers and --buyers must be at least 1") }
        guard (1...1_000).contains(sendEveryMs) else { throw ValidationError("--send-every-ms must be 1...1000") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        guard (1...65_535).contains(registryAdmin) else { throw ValidationError("--registry-admin must be a port number") }
        if let cpuOf, LoadPhaseCPU.parse(cpuOf) == nil {
            throw ValidationError("--cpu-of must be name=pid pairs separated by commas, e.g. registry=123,broker=45")
        }
    }

    func run() async throws {
        do {
            try await bench()
        } catch let failure as BenchFailure {
            FileHandle.standardError.write(Data(utf8Of: failure.message + "\n"))
            throw ExitCode.failure
        }
    }

    private func bench() async throws {
        let sender = try CommandSender(brokers: brokers)
        defer { sender.close() }
        let watcher = try Watcher(brokers: brokers)
        watcher.start()
        defer { watcher.stop() }
        let participants = Participants(sellers: sellers, buyers: buyers)
        // The trading day is today's date in UTC, as the Python generator took it.
        let tradingDay = CivilDate(daysSinceEpoch: Timestamp.now().millisecondsSinceEpoch / 86_400_000)

        let setUpStart = MonotonicClock.nanoseconds()
        try await MarketSetUp(sender: sender, watcher: watcher, participants: participants, orders: orders, timeout: timeout,
                              registryAdminPort: registryAdmin, tradingDay: tradingDay).run()
        let setUpSeconds = String(format: "%.1f", MonotonicClock.seconds(since: setUpStart))
        Self.printLine("saga-bench: set-up done in \(setUpSeconds) s (\(sellers) plants, \(buyers) investors)")

        // During the load only settlement.events is read (its TradeSettled name their orders),
        // plus matching.events when the load stops at the first OrderRejected; the rest is read
        // after the load, before anything is counted.
        watcher.narrow(to: stopOnReject ? [.settlementEvents, .matchingEvents] : [.settlementEvents])
        var cpu = LoadPhaseCPU(processes: cpuOf.flatMap(LoadPhaseCPU.parse) ?? [])
        cpu.begin()
        let outcome = try await OrderLoad(sender: sender, watcher: watcher, participants: participants, orders: orders,
                                          sendEveryMs: sendEveryMs,
                                          rate: rate, timeout: timeout, stopOnReject: stopOnReject).run()
        let loadCPU = cpu.end(orders: orders)
        watcher.widen()
        try await watcher.catchUp(brokers: brokers, timeout: timeout)
        let seen = watcher.snapshot
        var result = LoadResult.members(orders: orders, rate: rate, outcome: outcome, seen: seen)
        if timeline { result.append(("latencyBySecond", LoadResult.timeline(orders: orders, outcome: outcome, seen: seen))) }
        result.append(("loadPhaseCpuMicrosPerOrder", .object(loadCPU)))
        if !noClose {
            let closeStart = MonotonicClock.nanoseconds()
            let reconciliation = try await SessionClose(sender: sender, watcher: watcher, tradingDay: tradingDay,
                                                        timeout: timeout).run()
            result.append(("reconciliation", reconciliation))
            result.append(("closeSeconds", .rounded(MonotonicClock.seconds(since: closeStart), 2)))
        }
        Self.printLine(OrderedJSON.object(result).rendered())
        Self.printLine("saga-bench: load generator used " + String(format: "%.1f", ProcessCPU.seconds())
                       + " CPU s (user + system; set-up, load, close)")
    }

    /// Writes a line to stdout at once, unbuffered: the set-up line tells whoever watches a long
    /// run that the load has started, also when stdout is a file or a pipe.
    private static func printLine(_ text: String) {
        FileHandle.standardOutput.write(Data(utf8Of: text + "\n"))
    }
}
