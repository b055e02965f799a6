/// Pairs each trade's funds leg with its allowance leg (delivery versus payment).
///
/// Legs arrive in either order and each may arrive more than once (Kafka redelivers; the
/// registry's `AllowancesTransferred` and matching's `TradeExecuted` travel on different
/// topics). The tracker gives exactly one `settled` decision per trade, when the second leg
/// arrives, and reports every later copy as a duplicate. A value: the service stores the
/// `TradeLegs` row of each trade it touches (`legs(of:)`) and restores the tracker from them.
///
/// Times are inputs (a record's logical time, the tick's clock), never read here.
public struct SettlementTracker: Hashable, Codable, Sendable {
    /// How long one leg may wait for the other before `overdueTrades(now:)` reports it.
    public let timeoutMilliseconds: Int64
    private var trades: [TradeID: TradeLegs] = [:]

    /// An empty tracker.
    /// - Parameter timeoutMilliseconds: the alarm's timeout (`SettlementRules.legTimeoutMilliseconds`).
    public init(timeoutMilliseconds: Int64 = SettlementRules.standard.legTimeoutMilliseconds) {
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// A tracker with the rules' timeout.
    public init(rules: SettlementRules) {
        self.init(timeoutMilliseconds: rules.legTimeoutMilliseconds)
    }

    /// A tracker restored from the rows the service stored.
    public init(timeoutMilliseconds: Int64 = SettlementRules.standard.legTimeoutMilliseconds,
                restoring rows: some Sequence<TradeLegs>) {
        self.init(timeoutMilliseconds: timeoutMilliseconds)
        for row in rows { trades[row.tradeId] = row }
    }

    /// Records the funds leg (after `FundsLedger.settle` succeeded).
    /// - Parameter at: when it was recorded (the clock of the overdue alarm).
    public mutating func recordFundsLeg(_ leg: FundsLeg, at instant: Instant) -> LegOutcome {
        var row = trades[leg.tradeId] ?? TradeLegs(tradeId: leg.tradeId)
        guard row.funds == nil else { return .duplicate }
        row.funds = leg
        row.fundsAt = instant
        return conclude(row)
    }

    /// Records the allowance leg (`AllowancesTransferred` for `tradeId`).
    /// - Parameter at: when it was recorded (the clock of the overdue alarm).
    public mutating func recordAllowanceLeg(tradeId: TradeID, at instant: Instant) -> LegOutcome {
        var row = trades[tradeId] ?? TradeLegs(tradeId: tradeId)
        guard row.allowancesAt == nil else { return .duplicate }
        row.allowancesAt = instant
        return conclude(row)
    }

    private mutating func conclude(_ row: TradeLegs) -> LegOutcome {
        var row = row
        defer { trades[row.tradeId] = row }
        guard let funds = row.funds, row.allowancesAt != nil else {
            return .awaiting(row.missingLeg ?? .allowances)
        }
        if row.isSettled { return .duplicate }
        row.isSettled = true
        return .settled(SettledTrade(funds))
    }

    /// Trades whose missing leg has waited longer than the timeout at `now`, each reported
    /// once in its life (the alarm is raised once, not at every tick), oldest first.
    public mutating func overdueTrades(now: Instant) -> [OverdueTrade] {
        var overdue: [OverdueTrade] = []
        for (tradeId, row) in trades where !row.isSettled && !row.isAlarmed {
            guard let missing = row.missingLeg, let since = row.waitingSince else { continue }
            let waited = now.milliseconds(since: since)
            guard waited > timeoutMilliseconds else { continue }
            overdue.append(OverdueTrade(tradeId: tradeId, missing: missing, since: since, waitedMilliseconds: waited))
            trades[tradeId]?.isAlarmed = true
        }
        return overdue.sorted { ($0.since, $0.tradeId) < ($1.since, $1.tradeId) }
    }

    /// The row of `tradeId`, to store after a call that touched it.
    public func legs(of tradeId: TradeID) -> TradeLegs? { trades[tradeId] }

    /// Whether `tradeId` has been decided settled.
    public func isSettled(_ tradeId: TradeID) -> Bool { trades[tradeId]?.isSettled ?? false }

    /// Every trade decided settled.
    public var settledTradeIds: Set<TradeID> { Set(trades.values.filter(\.isSettled).map(\.tradeId)) }

    /// Trades with one leg done and one missing, oldest first.
    public var pending: [TradeLegs] {
        trades.values.filter { !$0.isSettled }.sorted {
            ($0.waitingSince ?? Instant(millisecondsSinceEpoch: 0), $0.tradeId)
                < ($1.waitingSince ?? Instant(millisecondsSinceEpoch: 0), $1.tradeId)
        }
    }
}
