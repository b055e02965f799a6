/// Matching's events on `matching.events`, keyed by instrument (DESIGN.md section 4).

/// Added enumeration: what became of a rejected order's pre-trade hold, so that the registry and
/// settlement know whether they have something to release.
public enum HoldStatus: String, ContractEnum {
    /// The order was refused before its hold reached matching; whoever places it must release it.
    case notPlaced = "not-placed"
    /// The hold was placed and must now be released.
    case placed
    /// The hold was refused; nothing to release (the code and reason are the hold's).
    case refused
}

/// An order was admitted into the book (after its hold).
public struct OrderAccepted: EventPayload {
    public static let eventType: EventType = "OrderAccepted"
    public var orderId: String
    public var accountId: String
    public var instrument: Instrument
    public var side: Side
    public var method: TradingMethod
    public var quantity: Int64
    public var price: Int64

    public init(orderId: String, accountId: String, instrument: Instrument, side: Side, method: TradingMethod,
                quantity: Int64, price: Int64) {
        self.orderId = orderId; self.accountId = accountId; self.instrument = instrument; self.side = side
        self.method = method; self.quantity = quantity; self.price = price
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try instrument.validate()
        try Check.quantity(quantity)
        try Check.amount(price, "price")
        try Check.value(quantity: quantity, price: price)
    }
}

/// An order was refused, by matching's rules or because its hold was refused.
public struct OrderRejected: EventPayload {
    public static let eventType: EventType = "OrderRejected"
    public var orderId: String
    public var accountId: String
    public var code: String
    public var reason: String
    /// Added: the order's instrument, which is this topic's key. Matching always knows it.
    public var instrument: Instrument?
    /// Added: whether a hold was placed and must be released.
    public var hold: HoldStatus?

    public init(orderId: String, accountId: String, code: String, reason: String,
                instrument: Instrument? = nil, hold: HoldStatus? = nil) {
        self.orderId = orderId; self.accountId = accountId; self.code = code; self.reason = reason
        self.instrument = instrument; self.hold = hold
    }

    /// The instrument; an older record without one lands by order id.
    public var partitionKey: String { instrument?.rawValue ?? orderId }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try Check.code(code)
        try Check.reason(reason)
        try instrument?.validate()
    }
}

/// An order left the book unfilled by its owner's cancel: the holds on the rest are released.
public struct OrderCancelled: EventPayload {
    public static let eventType: EventType = "OrderCancelled"
    public var orderId: String
    public var accountId: String
    public var instrument: Instrument
    public var remainingQuantity: Int64

    public init(orderId: String, accountId: String, instrument: Instrument, remainingQuantity: Int64) {
        self.orderId = orderId; self.accountId = accountId; self.instrument = instrument
        self.remainingQuantity = remainingQuantity
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try instrument.validate()
        try Check.quantity(remainingQuantity, "remainingQuantity")
    }
}

/// An order left the book unfilled at the session's close: the holds on the rest are released.
public struct OrderExpired: EventPayload {
    public static let eventType: EventType = "OrderExpired"
    public var orderId: String
    public var accountId: String
    public var instrument: Instrument
    public var remainingQuantity: Int64

    public init(orderId: String, accountId: String, instrument: Instrument, remainingQuantity: Int64) {
        self.orderId = orderId; self.accountId = accountId; self.instrument = instrument
        self.remainingQuantity = remainingQuantity
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try Check.identifier(orderId, "orderId")
        try Check.identifier(accountId, "accountId")
        try instrument.validate()
        try Check.quantity(remainingQuantity, "remainingQuantity")
    }
}

/// One execution between a buy and a sell order: delivery and payment follow from it.
public struct TradeExecuted: EventPayload {
    public static let eventType: EventType = "TradeExecuted"
    public var tradeId: String
    public var instrument: Instrument
    public var method: TradingMethod
    public var price: Int64
    public var quantity: Int64
    public var buyOrderId: String
    public var sellOrderId: String
    public var buyerAccountId: String
    public var sellerAccountId: String
    public var executedAt: Timestamp
    /// Added: the session's trading day (statements and the T+1 rule group trades by it).
    public var tradingDay: CivilDate?

    public init(tradeId: String, instrument: Instrument, method: TradingMethod, price: Int64, quantity: Int64,
                buyOrderId: String, sellOrderId: String, buyerAccountId: String, sellerAccountId: String,
                executedAt: Timestamp, tradingDay: CivilDate? = nil) {
        self.tradeId = tradeId; self.instrument = instrument; self.method = method; self.price = price
        self.quantity = quantity; self.buyOrderId = buyOrderId; self.sellOrderId = sellOrderId
        self.buyerAccountId = buyerAccountId; self.sellerAccountId = sellerAccountId
        self.executedAt = executedAt; self.tradingDay = tradingDay
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try Check.identifier(tradeId, "tradeId")
        try instrument.validate()
        try Check.amount(price, "price")
        try Check.quantity(quantity)
        try Check.value(quantity: quantity, price: price)
        try Check.identifier(buyOrderId, "buyOrderId")
        try Check.identifier(sellOrderId, "sellOrderId")
        if buyOrderId == sellOrderId {
            throw .invalid("buyOrderId and sellOrderId must differ, both are '\(buyOrderId)'")
        }
        try Check.identifier(buyerAccountId, "buyerAccountId")
        try Check.identifier(sellerAccountId, "sellerAccountId")
    }
}

/// An instrument's trading day is open; the day's price bands are computed from `referencePrice`.
public struct SessionOpened: EventPayload {
    public static let eventType: EventType = "SessionOpened"
    public var instrument: Instrument
    public var tradingDay: CivilDate
    public var referencePrice: Int64

    public init(instrument: Instrument, tradingDay: CivilDate, referencePrice: Int64) {
        self.instrument = instrument; self.tradingDay = tradingDay; self.referencePrice = referencePrice
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try instrument.validate()
        try Check.amount(referencePrice, "referencePrice")
    }
}

/// An instrument's trading day closed, with its prices (fen per tonne) and totals.
/// Without a listed trade, open, close, high and low are the reference price.
public struct SessionClosed: EventPayload {
    public static let eventType: EventType = "SessionClosed"
    public var instrument: Instrument
    public var tradingDay: CivilDate
    public var openPrice: Int64
    /// The next session's reference price.
    public var closePrice: Int64
    public var high: Int64
    public var low: Int64
    /// Tonnes traded by every method.
    public var volume: Int64
    /// Fen traded by every method.
    public var turnover: Int64
    /// Added: the breakdown matching keeps (optional; all tonnes or fen).
    public var referencePrice: Int64?
    public var listedVolume: Int64?
    public var listedTurnover: Int64?
    public var blockVolume: Int64?
    public var blockTurnover: Int64?
    public var auctionVolume: Int64?
    public var auctionTurnover: Int64?
    public var tradeCount: Int64?

    public init(instrument: Instrument, tradingDay: CivilDate, openPrice: Int64, closePrice: Int64,
                high: Int64, low: Int64, volume: Int64, turnover: Int64, referencePrice: Int64? = nil,
                listedVolume: Int64? = nil, listedTurnover: Int64? = nil, blockVolume: Int64? = nil,
                blockTurnover: Int64? = nil, auctionVolume: Int64? = nil, auctionTurnover: Int64? = nil,
                tradeCount: Int64? = nil) {
        self.instrument = instrument; self.tradingDay = tradingDay; self.openPrice = openPrice
        self.closePrice = closePrice; self.high = high; self.low = low; self.volume = volume
        self.turnover = turnover; self.referencePrice = referencePrice
        self.listedVolume = listedVolume; self.listedTurnover = listedTurnover
        self.blockVolume = blockVolume; self.blockTurnover = blockTurnover
        self.auctionVolume = auctionVolume; self.auctionTurnover = auctionTurnover; self.tradeCount = tradeCount
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try instrument.validate()
        try Check.amount(openPrice, "openPrice")
        try Check.amount(closePrice, "closePrice")
        try Check.amount(high, "high")
        try Check.amount(low, "low")
        if low > high { throw .invalid("low (\(low)) must not exceed high (\(high))") }
        try Check.tally(volume, "volume", max: Check.maxQuantity)
        try Check.tally(turnover, "turnover")
        if let referencePrice { try Check.amount(referencePrice, "referencePrice") }
        let tonnes: [(Int64?, String)] = [(listedVolume, "listedVolume"), (blockVolume, "blockVolume"),
                                          (auctionVolume, "auctionVolume"), (tradeCount, "tradeCount")]
        for case let (value?, field) in tonnes { try Check.tally(value, field, max: Check.maxQuantity) }
        let fen: [(Int64?, String)] = [(listedTurnover, "listedTurnover"), (blockTurnover, "blockTurnover"),
                                       (auctionTurnover, "auctionTurnover")]
        for case let (value?, field) in fen { try Check.tally(value, field) }
    }
}
