/// A `SubmitOrder` as the engine takes it.
public struct OrderRequest: Equatable, Codable, Sendable {
    public var orderID: OrderID
    public var account: AccountID
    public var instrument: InstrumentID
    public var side: Side
    public var method: TradingMethod
    public var quantity: Tonnes
    /// The limit price; for a block order the agreed price; for an auction's sell order the floor
    /// (zero for no floor); for an auction bid the price the bidder pays if it wins.
    public var price: Fen
    /// Block orders only: the account the quote is addressed to.
    public var counterparty: AccountID?

    public init(
        orderID: OrderID, account: AccountID, instrument: InstrumentID, side: Side,
        method: TradingMethod = .listed, quantity: Tonnes, price: Fen, counterparty: AccountID? = nil
    ) {
        self.orderID = orderID
        self.account = account
        self.instrument = instrument
        self.side = side
        self.method = method
        self.quantity = quantity
        self.price = price
        self.counterparty = counterparty
    }
}

/// Where an order is in its life (see DESIGN "The order saga").
enum OrderStatus: String, Codable, Sendable, CaseIterable {
    /// Submitted and valid, waiting for its hold.
    case pending
    /// Cancelled before its hold arrived: it will never rest; `Cancelled` goes out with the hold.
    case pendingCancelled
    /// Its session closed before its hold arrived: `Expired` goes out with the hold.
    case pendingExpired
    /// Admitted: resting in the book, quoted to a counterparty, or bidding in an auction.
    case working
    /// Done: filled, cancelled, expired or rejected. Kept until the next session opens so that a
    /// late hold or a duplicate id is recognised.
    case finished
}

/// Everything the engine keeps about one order of the day, in its instrument's order table
/// (the index in that table is the order's `OrderRef`).
struct OrderRecord: Equatable, Codable, Sendable {
    var request: OrderRequest
    var accountRef: AccountRef
    var status: OrderStatus
    /// What is still unfilled.
    var remaining: Tonnes
    /// Where it rests in the listed book, while it does.
    var slot: BookSlot?

    var id: OrderID { request.orderID }

    init(request: OrderRequest, accountRef: AccountRef, status: OrderStatus) {
        self.request = request
        self.accountRef = accountRef
        self.status = status
        self.remaining = request.quantity
        self.slot = nil
    }

    /// The contract's `OrderCancelled` / `OrderExpired` payload for the current remainder.
    var closed: OrderClosed {
        OrderClosed(orderID: request.orderID, account: request.account, instrument: request.instrument,
                    remainingQuantity: remaining)
    }

    var accepted: OrderAccepted {
        OrderAccepted(orderID: request.orderID, account: request.account, instrument: request.instrument,
                      side: request.side, method: request.method, quantity: request.quantity,
                      price: request.price)
    }

    func rejected(_ rejection: Rejection, hold: HoldStatus) -> OrderRejected {
        OrderRejected(orderID: request.orderID, account: request.account, instrument: request.instrument,
                      code: rejection.code, reason: rejection.reason, hold: hold)
    }
}
