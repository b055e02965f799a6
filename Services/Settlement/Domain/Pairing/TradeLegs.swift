/// The two legs of delivery versus payment.
public enum SettlementLeg: String, Codable, Sendable, CaseIterable, Hashable {
    /// Payment: the funds moved in this ledger (`FundsLedger.settle`, on `TradeExecuted`).
    case funds
    /// Delivery: the registry moved the allowances (`AllowancesTransferred`).
    case allowances
}

/// The funds leg of a trade: what `FundsLedger.settle` moved (`FundsSettlement.fundsLeg`).
public struct FundsLeg: Hashable, Codable, Sendable {
    public var tradeId: TradeID
    public var buyerAccountId: AccountID
    public var sellerAccountId: AccountID
    public var value: Fen
    public var buyerFee: Fen
    public var sellerFee: Fen

    public init(tradeId: TradeID, buyerAccountId: AccountID, sellerAccountId: AccountID, value: Fen,
                buyerFee: Fen, sellerFee: Fen) {
        self.tradeId = tradeId
        self.buyerAccountId = buyerAccountId
        self.sellerAccountId = sellerAccountId
        self.value = value
        self.buyerFee = buyerFee
        self.sellerFee = sellerFee
    }
}

/// The decision that a trade is settled: both legs are done. Field for field the contract's
/// `TradeSettled` payload (named apart so that the service can import both modules).
public struct SettledTrade: Hashable, Codable, Sendable {
    public var tradeId: TradeID
    public var buyerAccountId: AccountID
    public var sellerAccountId: AccountID
    public var value: Fen
    public var buyerFee: Fen
    public var sellerFee: Fen

    public init(_ leg: FundsLeg) {
        tradeId = leg.tradeId
        buyerAccountId = leg.buyerAccountId
        sellerAccountId = leg.sellerAccountId
        value = leg.value
        buyerFee = leg.buyerFee
        sellerFee = leg.sellerFee
    }
}

/// What the tracker knows of one trade: the row the service stores per trade.
public struct TradeLegs: Hashable, Codable, Sendable {
    public var tradeId: TradeID
    /// The funds leg, once settled in the ledger.
    public var funds: FundsLeg?
    /// When the funds leg was recorded.
    public var fundsAt: Instant?
    /// When the allowance leg was recorded.
    public var allowancesAt: Instant?
    /// Whether the settled decision was given (exactly once).
    public var isSettled: Bool
    /// Whether the overdue alarm was raised (at most once).
    public var isAlarmed: Bool

    public init(tradeId: TradeID, funds: FundsLeg? = nil, fundsAt: Instant? = nil, allowancesAt: Instant? = nil,
                isSettled: Bool = false, isAlarmed: Bool = false) {
        self.tradeId = tradeId
        self.funds = funds
        self.fundsAt = fundsAt
        self.allowancesAt = allowancesAt
        self.isSettled = isSettled
        self.isAlarmed = isAlarmed
    }

    /// The leg still missing, or `nil` when both are done.
    public var missingLeg: SettlementLeg? {
        if funds == nil { return .funds }
        if allowancesAt == nil { return .allowances }
        return nil
    }

    /// When the leg that arrived first was recorded (the clock of the overdue alarm).
    public var waitingSince: Instant? {
        switch (fundsAt, allowancesAt) {
        case let (funds?, allowances?): min(funds, allowances)
        case let (funds?, nil): funds
        case let (nil, allowances?): allowances
        case (nil, nil): nil
        }
    }
}

/// What recording one leg decided.
public enum LegOutcome: Hashable, Sendable {
    /// The leg is recorded; the other one (named) has not arrived yet.
    case awaiting(SettlementLeg)
    /// Both legs are done: emit `TradeSettled` with this. Given once per trade.
    case settled(SettledTrade)
    /// This leg was already recorded (a redelivery); nothing changed.
    case duplicate
}

/// A trade one of whose legs is later than the timeout: the settlement alarm.
public struct OverdueTrade: Hashable, Codable, Sendable {
    public var tradeId: TradeID
    /// The leg that has not arrived.
    public var missing: SettlementLeg
    /// When the other leg arrived.
    public var since: Instant
    /// How long the missing leg has been waited for at the check, in milliseconds.
    public var waitedMilliseconds: Int64

    public init(tradeId: TradeID, missing: SettlementLeg, since: Instant, waitedMilliseconds: Int64) {
        self.tradeId = tradeId
        self.missing = missing
        self.since = since
        self.waitedMilliseconds = waitedMilliseconds
    }
}
