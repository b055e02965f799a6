import Contract
import MatchingDomain

/// Turns the engine's outputs into the contract's events on `matching.events` (and the depth
/// feed on `market.depth`). One output, one event, in the engine's order.
///
/// Pure: the same outputs, cause and time give the same payloads, which the runtime then wraps in
/// envelopes whose ids derive from the input's id and the event's position.
struct MatchingEvents {
    /// The refused input's envelope id and type, for `CommandRejected`.
    var commandId: String
    var commandType: String
    /// The refused input's partition key, so that the refusal lands beside it.
    var key: String
    /// `TradeExecuted.executedAt`: the input record's logical time (never the wall clock).
    var now: Timestamp

    func payloads(for outputs: [MatchingOutput], refusal: Rejection?) -> [any EventPayload] {
        var payloads: [any EventPayload] = outputs.map(payload(for:))
        if let refusal {
            payloads.append(Contract.CommandRejected(commandId: commandId, commandType: commandType,
                                                     code: refusal.code.rawValue, reason: refusal.reason, key: key))
        }
        return payloads
    }

    func payload(for output: MatchingOutput) -> any EventPayload {
        switch output {
        case .accepted(let order):
            return Contract.OrderAccepted(
                orderId: order.orderID.rawValue, accountId: order.account.rawValue,
                instrument: Instrument(order.instrument), side: Contract.Side(order.side),
                method: Contract.TradingMethod(order.method), quantity: order.quantity.rawValue,
                price: order.price.rawValue)
        case .rejected(let order):
            return Contract.OrderRejected(
                orderId: order.orderID.rawValue, accountId: order.account.rawValue, code: order.code.rawValue,
                reason: order.reason, instrument: Instrument(order.instrument), hold: Contract.HoldStatus(order.hold))
        case .trade(let trade):
            return TradeExecuted(
                tradeId: trade.tradeID.description, instrument: Instrument(trade.instrument),
                method: Contract.TradingMethod(trade.method), price: trade.price.rawValue,
                quantity: trade.quantity.rawValue, buyOrderId: trade.buyOrderID.rawValue,
                sellOrderId: trade.sellOrderID.rawValue, buyerAccountId: trade.buyer.rawValue,
                sellerAccountId: trade.seller.rawValue, executedAt: now,
                tradingDay: CivilDate(trade.tradeID.tradingDay.rawValue))
        case .cancelled(let order):
            return OrderCancelled(orderId: order.orderID.rawValue, accountId: order.account.rawValue,
                                  instrument: Instrument(order.instrument),
                                  remainingQuantity: order.remainingQuantity.rawValue)
        case .expired(let order):
            return OrderExpired(orderId: order.orderID.rawValue, accountId: order.account.rawValue,
                                instrument: Instrument(order.instrument),
                                remainingQuantity: order.remainingQuantity.rawValue)
        case .sessionOpened(let session):
            return Contract.SessionOpened(instrument: Instrument(session.instrument),
                                          tradingDay: civilDay(session.tradingDay),
                                          referencePrice: session.referencePrice.rawValue)
        case .sessionClosed(let summary):
            return sessionClosed(summary)
        case .commandRejected(let refusal):
            return Contract.CommandRejected(commandId: commandId, commandType: commandType,
                                            code: refusal.code.rawValue, reason: refusal.reason, key: key)
        }
    }

    private func sessionClosed(_ summary: SessionSummary) -> SessionClosed {
        SessionClosed(
            instrument: Instrument(summary.instrument), tradingDay: civilDay(summary.tradingDay),
            openPrice: summary.openPrice.rawValue, closePrice: summary.closePrice.rawValue,
            high: summary.high.rawValue, low: summary.low.rawValue, volume: summary.volume.rawValue,
            turnover: summary.turnover.rawValue, referencePrice: summary.referencePrice.rawValue,
            listedVolume: summary.listedVolume.rawValue, listedTurnover: summary.listedTurnover.rawValue,
            blockVolume: summary.blockVolume.rawValue, blockTurnover: summary.blockTurnover.rawValue,
            auctionVolume: summary.auctionVolume.rawValue, auctionTurnover: summary.auctionTurnover.rawValue,
            tradeCount: summary.tradeCount)
    }

    /// The engine's trading days all come from the contract's `CivilDate` (`OpenSession`, or the
    /// calendar), so they always parse; the epoch is only a total fallback, never reached.
    private func civilDay(_ day: TradingDay) -> CivilDate {
        CivilDate(day.rawValue) ?? CivilDate(daysSinceEpoch: 0)
    }
}

/// Market data for `market.depth` and the admin port.
extension MarketDepthUpdated {
    init(instrument: InstrumentID, tradingDay: TradingDay?, depth: MarketDepth, sequence: Int64) {
        func levels(_ levels: [MatchingDomain.DepthLevel]) -> [MarketDepthLevel] {
            levels.map { MarketDepthLevel(price: $0.price.rawValue, quantity: $0.quantity.rawValue, orders: Int64($0.orders)) }
        }
        self.init(instrument: Instrument(instrument), tradingDay: tradingDay.flatMap { CivilDate($0.rawValue) },
                  bids: levels(depth.bids), asks: levels(depth.asks), lastPrice: depth.lastPrice?.rawValue,
                  sequence: sequence)
    }
}

extension Instrument {
    init(_ instrument: InstrumentID) { self.init(rawValue: instrument.rawValue) }
}

extension Contract.Side {
    init(_ side: MatchingDomain.Side) {
        switch side {
        case .buy: self = .buy
        case .sell: self = .sell
        }
    }
}

extension Contract.TradingMethod {
    init(_ method: MatchingDomain.TradingMethod) {
        switch method {
        case .listed: self = .listed
        case .block: self = .block
        case .auction: self = .auction
        }
    }
}

extension Contract.HoldStatus {
    init(_ hold: MatchingDomain.HoldStatus) {
        switch hold {
        case .notPlaced: self = .notPlaced
        case .placed: self = .placed
        case .refused: self = .refused
        }
    }
}
