/// Settlement's additions to `settlement.events` (DESIGN.md allows added events, never renames):
/// the alarm an operator must see when delivery versus payment does not complete, the
/// market-wide end-of-day reconciliation, and the continuation of a statement too long for one
/// record.

/// The two legs of delivery versus payment, as an alarm names them.
public enum SettlementLegName: String, ContractEnum {
    /// Payment: the funds moved in settlement's ledger (on `TradeExecuted`).
    case funds
    /// Delivery: the registry moved the allowances (`AllowancesTransferred`).
    case allowances
}

/// A trade whose settlement needs an operator: one leg is later than the leg timeout
/// (`leg-overdue`), the funds leg could not be applied (`funds-leg-refused`), or the allowance
/// leg does not match the trade (`leg-mismatch`). Raised once per trade and code.
/// Keyed by the buyer when settlement knows it, else by the trade id.
public struct SettlementAlarm: EventPayload {
    public static let eventType: EventType = "SettlementAlarm"
    public var tradeId: String
    /// The leg that is missing (or refused, or does not match).
    public var missingLeg: SettlementLegName
    /// When the other leg arrived (`leg-overdue`), or when the refused leg arrived.
    public var since: Timestamp
    public var reason: String
    /// Kebab-case kind of alarm: `leg-overdue`, `funds-leg-refused`, `leg-mismatch`.
    public var code: String?
    /// How long the missing leg had been waited for when the alarm was raised, in milliseconds.
    public var waitedMilliseconds: Int64?
    public var buyerAccountId: String?
    public var sellerAccountId: String?

    public init(tradeId: String, missingLeg: SettlementLegName, since: Timestamp, reason: String, code: String? = nil,
                waitedMilliseconds: Int64? = nil, buyerAccountId: String? = nil, sellerAccountId: String? = nil) {
        self.tradeId = tradeId; self.missingLeg = missingLeg; self.since = since; self.reason = reason
        self.code = code; self.waitedMilliseconds = waitedMilliseconds
        self.buyerAccountId = buyerAccountId; self.sellerAccountId = sellerAccountId
    }

    public var partitionKey: String { buyerAccountId ?? tradeId }

    public func validate() throws(ContractError) {
        try Check.identifier(tradeId, "tradeId")
        try Check.reason(reason)
        if let code { try Check.code(code) }
        if let waitedMilliseconds { try Check.nonNegative(waitedMilliseconds, "waitedMilliseconds") }
        if let buyerAccountId { try Check.identifier(buyerAccountId, "buyerAccountId") }
        if let sellerAccountId { try Check.identifier(sellerAccountId, "sellerAccountId") }
    }
}

/// One way the books did not balance at the end of a trading day.
public struct ReconciliationBreakLine: Codable, Sendable, Equatable {
    /// Kebab-case kind of break, e.g. `fee-account-mismatch`, `unsettled-trade`.
    public var code: String
    /// What an operator reads, with the amounts.
    public var detail: String
    /// Stated minus expected, in fen (for an unsettled trade: the value its funds leg moved).
    public var difference: Int64
    /// The account concerned, if one is.
    public var accountId: String?

    public init(code: String, detail: String, difference: Int64, accountId: String? = nil) {
        self.code = code; self.detail = detail; self.difference = difference; self.accountId = accountId
    }

    func validate(_ field: String) throws(ContractError) {
        try Check.code(code, "\(field).code")
        try Check.reason(detail, "\(field).detail")
        try Check.optional(accountId, "\(field).accountId")
    }
}

/// The market-wide end-of-day reconciliation of settlement's books: balance sheet against
/// journal, to the fen, and every trade of the day settled. `balanced == false` is an alarm;
/// each break carries the difference.
public struct ReconciliationCompleted: EventPayload {
    public static let eventType: EventType = "ReconciliationCompleted"
    /// Most break lines one record carries; a longer list is cut and `truncated` is set.
    public static let maxBreaks = 1_000
    public var tradingDay: CivilDate
    public var balanced: Bool
    public var breaks: [ReconciliationBreakLine]
    /// Totals according to the journal, in fen.
    public var deposited: Int64?
    public var withdrawn: Int64?
    public var feesCharged: Int64?
    /// What participants hold according to the balance sheet (available + reserved), in fen.
    public var participantFunds: Int64?
    /// What the exchange's fee account holds according to the balance sheet, in fen.
    public var feeAccount: Int64?
    /// Whether more breaks were found than `breaks` lists.
    public var truncated: Bool?

    public init(tradingDay: CivilDate, balanced: Bool, breaks: [ReconciliationBreakLine], deposited: Int64? = nil,
                withdrawn: Int64? = nil, feesCharged: Int64? = nil, participantFunds: Int64? = nil,
                feeAccount: Int64? = nil, truncated: Bool? = nil) {
        self.tradingDay = tradingDay; self.balanced = balanced; self.breaks = breaks; self.deposited = deposited
        self.withdrawn = withdrawn; self.feesCharged = feesCharged; self.participantFunds = participantFunds
        self.feeAccount = feeAccount; self.truncated = truncated
    }

    /// Market-wide: keyed by the day, so each day's reconciliation lands on one partition.
    public var partitionKey: String { "reconciliation-\(tradingDay)" }

    public func validate() throws(ContractError) {
        try Check.count(breaks, "breaks", max: Self.maxBreaks)
        for (index, line) in breaks.enumerated() { try line.validate("breaks[\(index)]") }
        if balanced, !breaks.isEmpty { throw .invalid("a balanced reconciliation lists no breaks, got \(breaks.count)") }
    }
}

/// The trade lines of an account's end-of-day statement beyond those its `StatementIssued`
/// carries (an active account can trade more times a day than one record should hold). Parts
/// are numbered from 2; `StatementIssued` is part 1 of `parts`.
public struct StatementContinued: EventPayload {
    public static let eventType: EventType = "StatementContinued"
    public var accountId: String
    public var tradingDay: CivilDate
    /// This record's number, 2...parts.
    public var part: Int
    /// How many records the statement has in all, `StatementIssued` included.
    public var parts: Int
    public var trades: [StatementTrade]

    public init(accountId: String, tradingDay: CivilDate, part: Int, parts: Int, trades: [StatementTrade]) {
        self.accountId = accountId; self.tradingDay = tradingDay; self.part = part; self.parts = parts
        self.trades = trades
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) {
        try Check.identifier(accountId, "accountId")
        try Check.range(parts, 2...1_000_000, "parts")
        try Check.range(part, 2...parts, "part")
        try Check.count(trades, "trades", min: 1, max: StatementIssued.maxTrades)
        for (index, trade) in trades.enumerated() { try trade.validate("trades[\(index)]") }
    }
}
