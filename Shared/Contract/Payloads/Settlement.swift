/// Settlement's commands (`settlement.commands`) and events (`settlement.events`), keyed by
/// account (DESIGN.md section 4). Every amount is in fen.

/// Funds paid into an account by its bank; `reference` is the bank's transfer reference.
public struct DepositFunds: EventPayload {
    public static let eventType: EventType = "DepositFunds"
    public var accountId: String
    public var amount: Int64
    public var reference: String

    public init(accountId: String, amount: Int64, reference: String) {
        self.accountId = accountId; self.amount = amount; self.reference = reference
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) { try checkTransfer(accountId, amount, reference) }
}

/// Funds paid out of an account to its bank.
public struct WithdrawFunds: EventPayload {
    public static let eventType: EventType = "WithdrawFunds"
    public var accountId: String
    public var amount: Int64
    public var reference: String

    public init(accountId: String, amount: Int64, reference: String) {
        self.accountId = accountId; self.amount = amount; self.reference = reference
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) { try checkTransfer(accountId, amount, reference) }
}

/// A deposit was credited.
public struct FundsDeposited: EventPayload {
    public static let eventType: EventType = "FundsDeposited"
    public var accountId: String
    public var amount: Int64
    public var reference: String

    public init(accountId: String, amount: Int64, reference: String) {
        self.accountId = accountId; self.amount = amount; self.reference = reference
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) { try checkTransfer(accountId, amount, reference) }
}

/// A withdrawal was debited.
public struct FundsWithdrawn: EventPayload {
    public static let eventType: EventType = "FundsWithdrawn"
    public var accountId: String
    public var amount: Int64
    public var reference: String

    public init(accountId: String, amount: Int64, reference: String) {
        self.accountId = accountId; self.amount = amount; self.reference = reference
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) { try checkTransfer(accountId, amount, reference) }
}

private func checkTransfer(_ accountId: String, _ amount: Int64, _ reference: String) throws(ContractError) {
    try Check.identifier(accountId, "accountId")
    try Check.amount(amount, "amount")
    try Check.nonEmpty(reference, "reference", max: 128)
}

/// A buy order's funds (`quantity x price` plus fees) are held; matching may now admit it.
public struct FundsReserved: EventPayload {
    public static let eventType: EventType = "FundsReserved"
    public var orderId: String
    public var accountId: String
    public var amount: Int64

    public init(orderId: String, accountId: String, amount: Int64) {
        self.orderId = orderId; self.accountId = accountId; self.amount = amount
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try Check.amount(amount, "amount")
    }
}

/// Settlement could not hold funds for a buy order: matching rejects the order with this reason.
public struct ReserveRejected: EventPayload {
    public static let eventType: EventType = "ReserveRejected"
    public var orderId: String
    public var accountId: String
    public var code: String
    public var reason: String
    /// Added: the order's instrument, so matching need not look the order up to route the refusal.
    public var instrument: Instrument?

    public init(orderId: String, accountId: String, code: String, reason: String, instrument: Instrument? = nil) {
        self.orderId = orderId; self.accountId = accountId; self.code = code; self.reason = reason
        self.instrument = instrument
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try Check.code(code)
        try Check.reason(reason)
        try instrument?.validate()
    }
}

/// Part or all of a buy order's reservation was released (cancel, expiry, rejection, or price
/// improvement on a trade).
public struct FundsReleased: EventPayload {
    public static let eventType: EventType = "FundsReleased"
    public var orderId: String
    public var accountId: String
    public var amount: Int64

    public init(orderId: String, accountId: String, amount: Int64) {
        self.orderId = orderId; self.accountId = accountId; self.amount = amount
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try Check.amount(amount, "amount")
    }
}

/// Both legs of a trade are done: `value` moved buyer -> seller, each side paid its fee.
/// Keyed by the buyer, whose account the funds reservation is keyed by.
public struct TradeSettled: EventPayload {
    public static let eventType: EventType = "TradeSettled"
    public var tradeId: String
    public var buyerAccountId: String
    public var sellerAccountId: String
    public var value: Int64
    public var buyerFee: Int64
    public var sellerFee: Int64
    /// The trade's two orders (an addition to the contract): a participant, a gateway or a
    /// monitor that follows its own orders sees each one settled without reading
    /// `matching.events` for the trade. Absent from events written before the addition.
    public var buyOrderId: String?
    public var sellOrderId: String?

    public init(tradeId: String, buyerAccountId: String, sellerAccountId: String, value: Int64,
                buyerFee: Int64, sellerFee: Int64, buyOrderId: String? = nil, sellOrderId: String? = nil) {
        self.tradeId = tradeId; self.buyerAccountId = buyerAccountId; self.sellerAccountId = sellerAccountId
        self.value = value; self.buyerFee = buyerFee; self.sellerFee = sellerFee
        self.buyOrderId = buyOrderId; self.sellOrderId = sellOrderId
    }

    public var partitionKey: String { buyerAccountId }

    public func validate() throws(ContractError) {
        try Check.identifier(tradeId, "tradeId")
        try Check.identifier(buyerAccountId, "buyerAccountId")
        try Check.identifier(sellerAccountId, "sellerAccountId")
        try Check.amount(value, "value")
        try Check.tally(buyerFee, "buyerFee")
        try Check.tally(sellerFee, "sellerFee")
        if let buyOrderId { try Check.identifier(buyOrderId, "buyOrderId") }
        if let sellOrderId { try Check.identifier(sellOrderId, "sellOrderId") }
    }
}

/// One trade line of an end-of-day statement, from the account's point of view.
public struct StatementTrade: Codable, Sendable, Equatable {
    public var tradeId: String
    public var side: Side
    public var quantity: Int64
    /// Fen per tonne.
    public var price: Int64
    /// `quantity x price`, in fen.
    public var value: Int64
    /// This account's fee on the trade, in fen.
    public var fee: Int64

    public init(tradeId: String, side: Side, quantity: Int64, price: Int64, value: Int64, fee: Int64) {
        self.tradeId = tradeId; self.side = side; self.quantity = quantity; self.price = price
        self.value = value; self.fee = fee
    }

    func validate(_ field: String) throws(ContractError) {
        try Check.identifier(tradeId, "\(field).tradeId")
        try Check.quantity(quantity, "\(field).quantity")
        try Check.amount(price, "\(field).price")
        try Check.value(quantity: quantity, price: price, "\(field).quantity x price")
        if value != quantity * price {
            throw .invalid("\(field).value must be quantity x price = \(quantity * price), got \(value)")
        }
        try Check.tally(fee, "\(field).fee")
    }
}

/// An account's end-of-day statement: balances, fees and the day's trades (at most `maxTrades`).
public struct StatementIssued: EventPayload {
    public static let eventType: EventType = "StatementIssued"
    /// Most trade lines one statement carries, so that it stays well inside one Kafka record.
    public static let maxTrades = 5_000
    public var accountId: String
    public var tradingDay: CivilDate
    public var opening: Int64
    public var closing: Int64
    public var fees: Int64
    public var trades: [StatementTrade]
    /// Added: the day's deposits and withdrawals, so the statement reconciles on its own.
    public var deposits: Int64?
    public var withdrawals: Int64?

    public init(accountId: String, tradingDay: CivilDate, opening: Int64, closing: Int64, fees: Int64,
                trades: [StatementTrade], deposits: Int64? = nil, withdrawals: Int64? = nil) {
        self.accountId = accountId; self.tradingDay = tradingDay; self.opening = opening; self.closing = closing
        self.fees = fees; self.trades = trades; self.deposits = deposits; self.withdrawals = withdrawals
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) {
        try Check.identifier(accountId, "accountId")
        try Check.tally(opening, "opening")
        try Check.tally(closing, "closing")
        try Check.tally(fees, "fees")
        if let deposits { try Check.tally(deposits, "deposits") }
        if let withdrawals { try Check.tally(withdrawals, "withdrawals") }
        try Check.count(trades, "trades", max: Self.maxTrades)
        for (index, trade) in trades.enumerated() { try trade.validate("trades[\(index)]") }
    }
}
