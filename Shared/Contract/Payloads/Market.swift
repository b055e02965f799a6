/// The market's commands on `market.orders`, keyed by instrument (DESIGN.md section 4).
/// Matching's answers on `matching.events` are in `Matching.swift`.

/// A participant's order. Sells are held by the registry, buys by settlement, before matching
/// admits them (the order saga).
public struct SubmitOrder: EventPayload {
    public static let eventType: EventType = "SubmitOrder"
    public var orderId: String
    public var accountId: String
    public var instrument: Instrument
    public var side: Side
    public var method: TradingMethod
    /// Tonnes.
    public var quantity: Int64
    /// Fen per tonne (the tick is 1 fen, so every positive price is on the tick).
    public var price: Int64
    /// The named counterparty of a block (negotiated) order; required when `method` is block.
    public var counterpartyId: String?

    public init(orderId: String, accountId: String, instrument: Instrument, side: Side, method: TradingMethod,
                quantity: Int64, price: Int64, counterpartyId: String? = nil) {
        self.orderId = orderId; self.accountId = accountId; self.instrument = instrument; self.side = side
        self.method = method; self.quantity = quantity; self.price = price; self.counterpartyId = counterpartyId
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try instrument.validate()
        try Check.quantity(quantity)
        try Check.amount(price, "price")
        try Check.value(quantity: quantity, price: price)
        if let counterpartyId {
            try Check.identifier(counterpartyId, "counterpartyId")
        } else if method == .block {
            throw .invalid("counterpartyId is required when method is block, got none")
        }
    }
}

/// Withdraws a resting order (or one still waiting for its hold).
public struct CancelOrder: EventPayload {
    public static let eventType: EventType = "CancelOrder"
    public var orderId: String
    public var accountId: String
    public var instrument: Instrument

    public init(orderId: String, accountId: String, instrument: Instrument) {
        self.orderId = orderId; self.accountId = accountId; self.instrument = instrument
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try instrument.validate()
    }
}

/// Opens an instrument's trading day. Without `referencePrice` matching uses the previous close.
public struct OpenSession: EventPayload {
    public static let eventType: EventType = "OpenSession"
    public var instrument: Instrument
    public var tradingDay: CivilDate
    /// Fen per tonne: the base of the day's price bands.
    public var referencePrice: Int64?

    public init(instrument: Instrument, tradingDay: CivilDate, referencePrice: Int64? = nil) {
        self.instrument = instrument; self.tradingDay = tradingDay; self.referencePrice = referencePrice
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try instrument.validate()
        if let referencePrice { try Check.amount(referencePrice, "referencePrice") }
    }
}

/// Closes an instrument's trading day: resting orders expire and the closing price is fixed.
public struct CloseSession: EventPayload {
    public static let eventType: EventType = "CloseSession"
    public var instrument: Instrument
    public var tradingDay: CivilDate
    /// Fen per tonne: the closing price to use when the day had no listed trade.
    public var referencePrice: Int64?

    public init(instrument: Instrument, tradingDay: CivilDate, referencePrice: Int64? = nil) {
        self.instrument = instrument; self.tradingDay = tradingDay; self.referencePrice = referencePrice
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try instrument.validate()
        if let referencePrice { try Check.amount(referencePrice, "referencePrice") }
    }
}
