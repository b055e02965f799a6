/// Matching's additions to the contract (DESIGN.md section 4 allows added events and fields):
/// two operator commands on `market.orders` that drive what the calendar drives otherwise, and
/// the optional market-data feed on `market.depth`.

extension Topic {
    /// Best price levels of each listed book after every change (published only with the matching
    /// service's `--publish-depth`). Keyed by instrument.
    public static let marketDepth: Topic = "market.depth"
}

/// Moves an open session to another trading phase: the set of methods accepted from now on.
/// Orders already working are untouched (a listed order rests through the lunch break). An empty
/// list pauses the session: it stays open but accepts no new orders.
///
/// Without this command the phase is whatever the session opened with (every method), or what
/// the matching service's calendar (`--schedule`) sets.
public struct SetTradingPhase: EventPayload {
    public static let eventType: EventType = "SetTradingPhase"
    public var instrument: Instrument
    /// The methods accepted from now on; empty for a pause.
    public var methods: [TradingMethod]
    /// A label for people and logs (`morning`, `lunch-break`, `afternoon`), not interpreted.
    public var phase: String?

    public init(instrument: Instrument, methods: [TradingMethod], phase: String? = nil) {
        self.instrument = instrument; self.methods = methods; self.phase = phase
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try instrument.validate()
        try Check.count(methods, "methods", max: TradingMethod.allCases.count)
        if Set(methods).count != methods.count { throw .invalid("methods must not repeat a method, got \(methods.map(\.rawValue))") }
        if let phase { try Check.identifier(phase, "phase") }
    }
}

/// Closes the bidding window of an instrument's one-way auction (an authority selling
/// allowances): the offered quantity goes to the highest bids, earliest first at equal prices,
/// each winner paying its bid (`TradeExecuted` with method `auction`); the rest expires.
public struct CloseAuction: EventPayload {
    public static let eventType: EventType = "CloseAuction"
    public var instrument: Instrument

    public init(instrument: Instrument) { self.instrument = instrument }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try instrument.validate()
    }
}

/// One price level of a listed book as market data shows it.
public struct MarketDepthLevel: Codable, Sendable, Equatable {
    /// Fen per tonne.
    public var price: Int64
    /// Tonnes resting at this price.
    public var quantity: Int64
    /// How many orders rest at this price.
    public var orders: Int64

    public init(price: Int64, quantity: Int64, orders: Int64) {
        self.price = price; self.quantity = quantity; self.orders = orders
    }
}

/// The best levels of an instrument's listed book after a change (on `market.depth`): bids best
/// (highest) first, asks best (lowest) first, at most 5 a side by default.
public struct MarketDepthUpdated: EventPayload {
    public static let eventType: EventType = "MarketDepthUpdated"
    public var instrument: Instrument
    /// The open session's trading day, if a session is open.
    public var tradingDay: CivilDate?
    public var bids: [MarketDepthLevel]
    public var asks: [MarketDepthLevel]
    /// The last listed trade's price (fen per tonne), if any.
    public var lastPrice: Int64?
    /// The matching journal's sequence number of the input that caused the change: increases
    /// with every update, so a reader can drop a stale or repeated one.
    public var sequence: Int64

    public init(instrument: Instrument, tradingDay: CivilDate?, bids: [MarketDepthLevel], asks: [MarketDepthLevel],
                lastPrice: Int64?, sequence: Int64) {
        self.instrument = instrument; self.tradingDay = tradingDay; self.bids = bids; self.asks = asks
        self.lastPrice = lastPrice; self.sequence = sequence
    }

    public var partitionKey: String { instrument.rawValue }

    public func validate() throws(ContractError) {
        try instrument.validate()
        try Check.count(bids, "bids", max: 100)
        try Check.count(asks, "asks", max: 100)
        for level in bids + asks {
            try Check.amount(level.price, "price")
            try Check.quantity(level.quantity)
            try Check.positive(level.orders, "orders")
        }
        if let lastPrice { try Check.amount(lastPrice, "lastPrice") }
        try Check.nonNegative(sequence, "sequence")
    }
}
