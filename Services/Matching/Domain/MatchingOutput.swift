/// What the engine tells the world. The service turns each into one `matching.events` event
/// (`OrderAccepted`, `OrderRejected`, `TradeExecuted`, ...) or a `CommandRejected`.
///
/// An enum rather than a wrapped struct on purpose: the service must handle every output, and a
/// new case should fail its build, not be silently dropped.
public enum MatchingOutput: Equatable, Codable, Sendable {
    case accepted(OrderAccepted)
    case rejected(OrderRejected)
    case trade(Trade)
    case cancelled(OrderClosed)
    case expired(OrderClosed)
    case sessionOpened(SessionOpened)
    case sessionClosed(SessionSummary)
    case commandRejected(CommandRejected)
}

/// An order admitted into its market (after its hold): `OrderAccepted`.
public struct OrderAccepted: Equatable, Codable, Sendable {
    public var orderID: OrderID
    public var account: AccountID
    public var instrument: InstrumentID
    public var side: Side
    public var method: TradingMethod
    public var quantity: Tonnes
    public var price: Fen
}

/// What became of an order's pre-trade hold when the order was rejected, so that the registry
/// and settlement know whether they have something to release.
public enum HoldStatus: String, Equatable, Codable, Sendable {
    /// The hold had not reached matching yet (a rule rejected the order at submit). The hold is
    /// requested independently from `market.orders`, so whoever places it must release it
    /// because of this rejection.
    case notPlaced = "not-placed"
    /// The hold was placed and must now be released.
    case placed
    /// The hold was refused; there is nothing to release. The code and reason are the hold's.
    case refused
}

/// An order refused, by matching's rules or by its hold: `OrderRejected`.
public struct OrderRejected: Equatable, Codable, Sendable {
    public var orderID: OrderID
    public var account: AccountID
    public var instrument: InstrumentID
    public var code: RejectionCode
    public var reason: String
    public var hold: HoldStatus
}

/// One execution: `TradeExecuted` (the service stamps `executedAt`; the engine reads no clock).
public struct Trade: Equatable, Codable, Sendable {
    public var tradeID: TradeID
    public var instrument: InstrumentID
    public var method: TradingMethod
    public var price: Fen
    public var quantity: Tonnes
    public var buyOrderID: OrderID
    public var sellOrderID: OrderID
    public var buyer: AccountID
    public var seller: AccountID
}

/// An order that left the market with quantity unfilled: `OrderCancelled` or `OrderExpired`.
/// Its holds on `remainingQuantity` must be released.
public struct OrderClosed: Equatable, Codable, Sendable {
    public var orderID: OrderID
    public var account: AccountID
    public var instrument: InstrumentID
    public var remainingQuantity: Tonnes
}

/// `SessionOpened`: the band of the day is computed from `referencePrice`.
public struct SessionOpened: Equatable, Codable, Sendable {
    public var instrument: InstrumentID
    public var tradingDay: TradingDay
    public var referencePrice: Fen
}

/// Which input a `CommandRejected` refers to.
public enum CommandKind: String, Equatable, Codable, Sendable {
    case submitOrder = "SubmitOrder"
    case cancelOrder = "CancelOrder"
    case openSession = "OpenSession"
    case closeSession = "CloseSession"
    case setMethods = "SetMethods"
    case closeAuction = "CloseAuction"
}

/// An input understood but refused without touching any order's holds: a cancel of an unknown
/// order, a duplicate order id, a session opened twice. The service reports it as
/// `CommandRejected` (never as `OrderRejected`, which would release another order's hold).
public struct CommandRejected: Equatable, Codable, Sendable {
    public var command: CommandKind
    /// The order id or instrument the command was about.
    public var subject: String
    public var code: RejectionCode
    public var reason: String
}
