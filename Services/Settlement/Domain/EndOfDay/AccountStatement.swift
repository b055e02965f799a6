/// The side a participant took in a trade.
public enum TradeSide: String, Codable, Sendable, CaseIterable, Hashable {
    case buy, sell
}

/// One trade line of a statement, from the account's point of view (the contract's `StatementTrade`).
public struct StatementLine: Hashable, Codable, Sendable {
    public var tradeId: TradeID
    public var side: TradeSide
    public var quantity: Tonnes
    /// Fen per tonne.
    public var price: Fen
    /// `quantity x price`.
    public var value: Fen
    /// This account's fee on the trade.
    public var fee: Fen

    public init(tradeId: TradeID, side: TradeSide, quantity: Tonnes, price: Fen, value: Fen, fee: Fen) {
        self.tradeId = tradeId
        self.side = side
        self.quantity = quantity
        self.price = price
        self.value = value
        self.fee = fee
    }
}

/// An account's end-of-day statement (the contract's `StatementIssued`).
///
/// Balances are the participant's *funds*: available plus reserved, so placing or releasing a
/// reservation does not change them; the split at the close is given apart.
public struct AccountStatement: Hashable, Codable, Sendable {
    public var accountId: AccountID
    public var tradingDay: TradingDay
    /// Funds before the day's first entry.
    public var opening: Fen
    /// Funds after the day's last entry.
    public var closing: Fen
    /// Fees this account paid on the day (as buyer and as seller).
    public var fees: Fen
    public var deposits: Fen
    public var withdrawals: Fen
    /// The day's trades in settlement order; a trade with oneself gives a buy and a sell line.
    public var trades: [StatementLine]
    /// The closing funds split: available ...
    public var closingAvailable: Fen
    /// ... and reserved for open buy orders.
    public var closingReserved: Fen

    public init(accountId: AccountID, tradingDay: TradingDay, opening: Fen, closing: Fen, fees: Fen, deposits: Fen,
                withdrawals: Fen, trades: [StatementLine], closingAvailable: Fen, closingReserved: Fen) {
        self.accountId = accountId
        self.tradingDay = tradingDay
        self.opening = opening
        self.closing = closing
        self.fees = fees
        self.deposits = deposits
        self.withdrawals = withdrawals
        self.trades = trades
        self.closingAvailable = closingAvailable
        self.closingReserved = closingReserved
    }

    /// The value of the day's purchases.
    public var purchases: Fen { trades.filter { $0.side == .buy }.reduce(.zero) { $0 + $1.value } }
    /// The value of the day's sales.
    public var sales: Fen { trades.filter { $0.side == .sell }.reduce(.zero) { $0 + $1.value } }

    /// Whether the statement explains itself to the fen:
    /// `opening + deposits - withdrawals + sales - purchases - fees == closing`.
    public var isConsistent: Bool {
        opening + deposits - withdrawals + sales - purchases - fees == closing
            && closingAvailable + closingReserved == closing
    }
}
