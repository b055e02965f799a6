/// Everything matching keeps for one instrument: its session, its listed book, its block quotes,
/// its auction, and the table of the day's orders.
///
/// State is keyed by instrument (the `market.orders` partition key), so a later version can shard
/// instruments across instances without changing this type.
struct InstrumentState: Equatable, Codable, Sendable {
    let id: InstrumentID
    /// The open session, or `nil` between sessions.
    var session: Session?
    /// The last session's closing price: the next session's default reference price.
    var previousClose: Fen?
    var book: ListedBook
    /// The day's orders; an order's index here is its `OrderRef`.
    var orders: [OrderRecord] = []
    /// Admitted block orders waiting for their counterparty, in admission order.
    var blockQuotes: [OrderRef] = []
    /// The one-way bidding auction running now, if any.
    var auction: Auction?

    init(id: InstrumentID, maximumLadderSpan: Int) {
        self.id = id
        self.book = ListedBook(maximumSpan: maximumLadderSpan)
    }

    /// Adds an order to the day's table.
    mutating func register(_ record: OrderRecord) -> OrderRef {
        orders.append(record)
        return OrderRef(Int32(orders.count - 1))
    }

    /// Makes the trade between a buy and a sell order of this instrument, updates both orders'
    /// remainders and the day's statistics. Trade ids run 1, 2, 3... within the session.
    mutating func trade(method: TradingMethod, price: Fen, quantity: Tonnes, buy: OrderRef, sell: OrderRef)
        -> Trade
    {
        session?.tradeSequence += 1
        session?.statistics.record(method: method, price: price, quantity: quantity)
        orders[Int(buy.rawValue)].remaining = orders[Int(buy.rawValue)].remaining - quantity
        orders[Int(sell.rawValue)].remaining = orders[Int(sell.rawValue)].remaining - quantity
        let buyOrder = orders[Int(buy.rawValue)].request
        let sellOrder = orders[Int(sell.rawValue)].request
        let tradeID = TradeID(instrument: id, tradingDay: session?.tradingDay ?? "",
                              sequence: session?.tradeSequence ?? 0)
        return Trade(tradeID: tradeID, instrument: id, method: method, price: price, quantity: quantity,
                     buyOrderID: buyOrder.orderID, sellOrderID: sellOrder.orderID,
                     buyer: buyOrder.account, seller: sellOrder.account)
    }

    /// Marks an order done if nothing is left of it.
    mutating func finishIfFilled(_ ref: OrderRef) {
        if orders[Int(ref.rawValue)].remaining.rawValue == 0 {
            orders[Int(ref.rawValue)].status = .finished
            orders[Int(ref.rawValue)].slot = nil
        }
    }

    /// Drops the finished orders of past days (called when a session opens) and returns the
    /// survivors' new refs, so that the engine can re-point its order index. Only orders still
    /// waiting for a hold survive: nothing rests between sessions.
    mutating func compactOrders() -> [(OrderID, OrderRef)] {
        let survivors = orders.filter { $0.status != .finished }
        orders = survivors
        return survivors.enumerated().map { ($1.id, OrderRef(Int32($0))) }
    }
}

/// An open session of one instrument: its day, reference price, phase and running figures.
struct Session: Equatable, Codable, Sendable {
    var tradingDay: TradingDay
    var referencePrice: Fen
    /// The methods accepted right now (the phase); the service moves it with the clock.
    var methods: MethodSet
    var statistics = SessionStatistics()
    /// The last trade's sequence number within this session.
    var tradeSequence: Int64 = 0
}
