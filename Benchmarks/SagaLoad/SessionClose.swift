import Contract

/// The end of the day: `CloseSession` expires what rests, settlement issues the statements and
/// reconciles, and the run reports the reconciliation it reads back (nil when none came within
/// the timeout). A clean run is balanced with no breaks.
struct SessionClose {
    let sender: CommandSender
    let watcher: Watcher
    let tradingDay: CivilDate
    let timeout: Double

    func run() async throws -> OrderedJSON {
        try sender.send([CloseSession(instrument: .cea, tradingDay: tradingDay)], to: .marketOrders)
        try sender.flush(seconds: 60)
        let deadline = MonotonicClock.nanoseconds() + UInt64(timeout * 1e9)
        while watcher.count(.reconciliationCompleted) < 1, MonotonicClock.nanoseconds() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let done = watcher.snapshot.lastReconciliation else { return .null }
        return .object([
            ("balanced", .bool(done.balanced)),
            ("breaks", .int(done.breaks.count)),
            ("feesCharged", done.feesCharged.map { .int(Int($0)) } ?? .null),
            ("deposited", done.deposited.map { .int(Int($0)) } ?? .null),
        ])
    }
}
