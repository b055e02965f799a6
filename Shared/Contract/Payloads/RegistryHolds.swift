/// The registry's side of the order saga (DESIGN.md section 4): it freezes a seller's allowances
/// for a sell order, releases them, and moves them to the buyer when a trade executes. These
/// events travel on `registry.events`, keyed by the account (an account id is an entity id).

/// Allowances of the seller are held for a sell order; matching may now admit the order.
public struct AllowancesFrozen: EventPayload {
    public static let eventType: EventType = "AllowancesFrozen"
    public var orderId: String
    public var accountId: String
    public var instrument: Instrument
    public var quantity: Int64

    public init(orderId: String, accountId: String, instrument: Instrument, quantity: Int64) {
        self.orderId = orderId; self.accountId = accountId; self.instrument = instrument; self.quantity = quantity
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try instrument.validate()
        try Check.quantity(quantity)
    }
}

/// The registry could not hold allowances for a sell order (not enough available, unknown
/// account, T+1 rule): matching rejects the order with this code and reason.
public struct FreezeRejected: EventPayload {
    public static let eventType: EventType = "FreezeRejected"
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

/// Part or all of a sell order's hold was released (cancel, expiry, rejection).
public struct AllowancesUnfrozen: EventPayload {
    public static let eventType: EventType = "AllowancesUnfrozen"
    public var orderId: String
    public var accountId: String
    public var instrument: Instrument
    public var quantity: Int64

    public init(orderId: String, accountId: String, instrument: Instrument, quantity: Int64) {
        self.orderId = orderId; self.accountId = accountId; self.instrument = instrument; self.quantity = quantity
    }

    public var partitionKey: String { accountId }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try instrument.validate()
        try Check.quantity(quantity)
    }
}

/// The delivery leg of a trade: frozen allowances moved from the seller to the buyer.
/// Keyed by the seller, whose account the freeze and its releases are keyed by, so that all
/// the events about one hold stay in order on one partition.
public struct AllowancesTransferred: EventPayload {
    public static let eventType: EventType = "AllowancesTransferred"
    public var tradeId: String
    public var fromAccountId: String
    public var toAccountId: String
    public var instrument: Instrument
    public var quantity: Int64

    public init(tradeId: String, fromAccountId: String, toAccountId: String, instrument: Instrument, quantity: Int64) {
        self.tradeId = tradeId; self.fromAccountId = fromAccountId; self.toAccountId = toAccountId
        self.instrument = instrument; self.quantity = quantity
    }

    public var partitionKey: String { fromAccountId }

    public func validate() throws(ContractError) {
        try Check.identifier(tradeId, "tradeId")
        try Check.identifier(fromAccountId, "fromAccountId")
        try Check.identifier(toAccountId, "toAccountId")
        try instrument.validate()
        try Check.quantity(quantity)
    }
}
