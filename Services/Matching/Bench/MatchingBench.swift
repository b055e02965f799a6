import ArgumentParser
import MatchingDomain

/// `matching-bench`: measures the matching engine on a synthetic workload, or replays a CSV file
/// of orders through one book and writes the trades.
struct MatchingBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matching-bench",
        abstract: "Benchmark the listed order book, or replay a CSV file of orders through it.",
        discussion: """
            Workload (default): matching-bench --orders 5000000 --seed 42
            Snapshot: matching-bench --orders 200000 --snapshot (the binary snapshot against JSONEncoder, written and read back)
            Replay: matching-bench --input orders.csv --trades-out trades.csv
              input header id,side,price,quantity[,account]; output buyOrderId,sellOrderId,price,quantity.
            """)

    @Option(help: "Number of orders of the crossing workload.")
    var orders: Int = 1_000_000

    @Option(help: "Seed of the workload's generator (SplitMix64).")
    var seed: UInt64 = 1

    @Option(help: "Draw each order's account from this many accounts (0: one account per order).")
    var accounts: Int = 0

    @Option(help: "What to drive: book (the matching core, dense ids) or engine (string ids, full outputs).")
    var path: BenchPath = .book

    @Option(help: "Replay this CSV file of orders instead of running the workload.")
    var input: String?

    @Option(help: "With --input: write the trades to this CSV file.")
    var tradesOut: String?

    @Flag(help: "Time a snapshot of the engine after the workload instead of the matching itself.")
    var snapshot = false

    func validate() throws {
        guard orders > 0 else { throw ValidationError("--orders must be positive") }
        guard accounts >= 0 else { throw ValidationError("--accounts must not be negative") }
        if tradesOut != nil, input == nil { throw ValidationError("--trades-out needs --input") }
    }

    func run() throws {
        if let input {
            try ReplayRun(input: input, tradesOut: tradesOut).run()
            return
        }
        let workload = CrossingWorkload(orders: orders, seed: seed, accounts: accounts)
        if snapshot {
            try SnapshotRun(workload: workload, repeats: 3).run()
            return
        }
        CrossingRun(workload: workload, path: path).run()
    }
}

extension BenchPath: ExpressibleByArgument {}
