import Foundation
import MatchingDomain

/// The replay mode: orders from a CSV file through one listed book (no band), trades to a CSV.
struct ReplayRun {
    var input: String
    var tradesOut: String?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: input) else {
            throw BenchError("cannot read \(input)")
        }
        let orders: [ReplayOrder]
        do {
            orders = try CSVReplay.parseOrders([UInt8](data))
        } catch {
            throw BenchError("\(input): \(error)")
        }
        let start = monotonicNanoseconds()
        let result = CSVReplay.replay(orders)
        let elapsed = monotonicNanoseconds() - start
        for rejection in result.rejections {
            FileHandle.standardError.write(Data("\(input): \(rejection)\n".utf8))
        }
        if let tradesOut {
            let text = CSVReplay.tradesCSV(result.trades)
            guard FileManager.default.createFile(atPath: tradesOut, contents: Data(text.utf8)) else {
                throw BenchError("cannot write \(tradesOut)")
            }
        }
        print("replayed \(orders.count) orders from \(input): \(result.trades.count) trades, \(result.rejections.count) rejected, \(elapsed / 1_000_000) ms")
    }
}

/// A failure the command reports as `Error: ...` with a non-zero exit status.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
