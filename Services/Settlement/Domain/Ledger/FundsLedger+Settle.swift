/// The funds leg of a trade (gross settlement, trade by trade).
///
/// One settlement writes, in this order:
/// 1. settle-buyer: the value leaves the buyer's reservation for the clearing account;
/// 2. settle-seller: the value goes from clearing to the seller's available funds (usable for
///    trading at once, withdrawable on the next trading day when the rules say so);
/// 3. fee: the buyer's fee from the buyer's reservation (if not zero);
/// 4. fee: the seller's fee from the seller's fresh proceeds (if not zero);
/// 5. release: the excess of the buyer's reservation (if not zero).
///
/// Release rule: after a fill of `k` tonnes the reservation is reset to exactly what the
/// unfilled remainder needs, `(quantity - filled) x (limit + maximum fee per tonne)`; the rest
/// is released. That rest is the fill's price improvement `k x (limit - price)` plus the part of
/// its fee hold `k x maximum fee per tonne` the fill did not use. It is never negative: a fill's
/// fee is at most `ceil(k x price x rate) <= k x maximum fee per tonne`. On the last fill the
/// whole remainder is released.
extension FundsLedger {
    /// Settles the funds leg of one trade, exactly once per trade id.
    /// - Returns: the amounts and the entries to store; `released` is `FundsReleased.amount`
    ///   for the buy order (zero when nothing was released).
    /// - Throws: `duplicate-trade` (checked first; the ledger is unchanged), `invalid-reference`,
    ///   `invalid-quantity`, `invalid-price`, `invalid-account`, `unknown-reservation`,
    ///   `reservation-mismatch` (another buyer's order, or a different limit price),
    ///   `reservation-closed` (released on cancel), `exceeds-reservation` (more than the
    ///   unfilled remainder), `price-above-limit`.
    @discardableResult
    public mutating func settle(_ trade: TradeExecution) throws(SettlementRefusal) -> FundsSettlement {
        if settledTrades.contains(trade.tradeId) {
            throw SettlementRefusal(code: SettlementRefusal.Code.duplicateTrade,
                                    reason: "trade \(trade.tradeId) was already settled")
        }
        try checkReference(trade.tradeId.rawValue)
        try checkQuantity(trade.quantity)
        try checkPrice(trade.price)
        try checkParticipant(trade.buyerAccountId)
        try checkParticipant(trade.sellerAccountId)
        let reservation = try openReservation(for: trade)
        let terms = reservation.terms
        guard let value = trade.quantity.value(at: trade.price),
              let required = terms.required(for: reservation.remaining - trade.quantity) else {
            throw SettlementRefusal(code: SettlementRefusal.Code.invalidAmount,
                                    reason: "\(trade.quantity) t x \(trade.price) does not fit in fen")
        }
        let buyerFee = terms.feeRate.fee(on: value, rounding: rules.feeRounding)
        let sellerFee = rules.feeRate.fee(on: value, rounding: rules.feeRounding)
        let excess = reservation.amount - value - buyerFee - required
        guard excess >= .zero else {
            throw SettlementRefusal(code: SettlementRefusal.Code.insufficientFunds, reason: """
                order \(trade.buyOrderId) holds \(reservation.amount), short of value \(value) + fee \(buyerFee) \
                + \(required) for its remainder
                """)
        }
        guard value.rawValue <= Self.maxAmount else {
            throw SettlementRefusal(code: SettlementRefusal.Code.invalidAmount,
                                    reason: "trade value \(value) exceeds \(Self.maxAmount) fen")
        }
        let entries = settlementEntries(trade, value: value, buyerFee: buyerFee, sellerFee: sellerFee, excess: excess)
        // Applied in place: the checks above leave none of the entries refusable (the value is within
        // bounds and held by the reservation, each fee is at most the value, the excess is what the
        // reservation holds beyond the value, the fee and the remainder). `applyAll` would copy the
        // whole ledger, every dictionary of it, on each trade.
        for entry in entries { try apply(entry) }
        return FundsSettlement(trade: trade, value: value, buyerFee: buyerFee, sellerFee: sellerFee,
                               released: excess, entries: entries)
    }

    /// The buy order's reservation, checked against the trade.
    private func openReservation(for trade: TradeExecution) throws(SettlementRefusal) -> Reservation {
        guard let reservation = reservation(for: trade.buyOrderId) else {
            throw SettlementRefusal(code: SettlementRefusal.Code.unknownReservation,
                                    reason: "buy order \(trade.buyOrderId) has no reservation")
        }
        guard reservation.accountId == trade.buyerAccountId else {
            throw SettlementRefusal(code: SettlementRefusal.Code.reservationMismatch, reason:
                "buy order \(trade.buyOrderId) is reserved by \(reservation.accountId), not \(trade.buyerAccountId)")
        }
        if let limit = trade.limitPrice, limit != reservation.terms.limitPrice {
            throw SettlementRefusal(code: SettlementRefusal.Code.reservationMismatch, reason:
                "buy order \(trade.buyOrderId) was reserved at limit \(reservation.terms.limitPrice), not \(limit)")
        }
        guard reservation.isOpen else {
            throw SettlementRefusal(code: SettlementRefusal.Code.reservationClosed,
                                    reason: "buy order \(trade.buyOrderId) has nothing reserved any more (released or filled)")
        }
        guard trade.quantity <= reservation.remaining else {
            throw SettlementRefusal(code: SettlementRefusal.Code.exceedsReservation, reason:
                "buy order \(trade.buyOrderId) has \(reservation.remaining) t unfilled, cannot settle \(trade.quantity) t")
        }
        guard trade.price <= reservation.terms.limitPrice else {
            throw SettlementRefusal(code: SettlementRefusal.Code.priceAboveLimit, reason:
                "trade price \(trade.price) is above buy order \(trade.buyOrderId)'s limit \(reservation.terms.limitPrice)")
        }
        return reservation
    }

    private func settlementEntries(_ trade: TradeExecution, value: Fen, buyerFee: Fen, sellerFee: Fen,
                                   excess: Fen) -> [FundsEntry] {
        let reserved = FundsAccount.reserved(trade.buyerAccountId, trade.buyOrderId)
        let seller = FundsAccount.available(trade.sellerAccountId)
        let fill = TradeFill(quantity: trade.quantity, price: trade.price)
        var moves: [(FundsEntryKind, FundsAccount, FundsAccount, Fen, TradeFill?)] = [
            (.settleBuyer, .clearing(rules), reserved, value, fill),
            (.settleSeller, seller, .clearing(rules), value, fill),
            (.fee, .fees(rules), reserved, buyerFee, nil),
            (.fee, .fees(rules), seller, sellerFee, nil),
            (.release, .available(trade.buyerAccountId), reserved, excess, nil),
        ]
        moves.removeAll { $0.3 == .zero }
        return moves.enumerated().map { index, move in
            FundsEntry(sequence: lastSequence + 1 + Int64(index), kind: move.0, debit: move.1, credit: move.2,
                       amount: move.3, reference: trade.tradeId.rawValue, tradingDay: tradingDay, fill: move.4)
        }
    }
}

/// A trade as settlement needs it (from `TradeExecuted`, plus the buy order's limit price).
public struct TradeExecution: Hashable, Codable, Sendable {
    public var tradeId: TradeID
    public var buyOrderId: OrderID
    public var sellOrderId: OrderID
    public var buyerAccountId: AccountID
    public var sellerAccountId: AccountID
    /// Fen per tonne.
    public var price: Fen
    public var quantity: Tonnes
    /// The buy order's limit price. Optional because the ledger knows it from the reservation;
    /// when given it must match (a cross-check of the service's records).
    public var limitPrice: Fen?

    public init(tradeId: TradeID, buyOrderId: OrderID, sellOrderId: OrderID, buyerAccountId: AccountID,
                sellerAccountId: AccountID, price: Fen, quantity: Tonnes, limitPrice: Fen? = nil) {
        self.tradeId = tradeId
        self.buyOrderId = buyOrderId
        self.sellOrderId = sellOrderId
        self.buyerAccountId = buyerAccountId
        self.sellerAccountId = sellerAccountId
        self.price = price
        self.quantity = quantity
        self.limitPrice = limitPrice
    }
}

/// What settling a trade's funds leg did.
public struct FundsSettlement: Hashable, Codable, Sendable {
    public var trade: TradeExecution
    /// `quantity x price`: what the buyer paid and the seller received before fees.
    public var value: Fen
    public var buyerFee: Fen
    public var sellerFee: Fen
    /// What went back from the buyer's reservation to its available funds (price improvement
    /// and unused fee hold; the whole remainder on the last fill).
    public var released: Fen
    /// The entries written, in sequence order.
    public var entries: [FundsEntry]

    public init(trade: TradeExecution, value: Fen, buyerFee: Fen, sellerFee: Fen, released: Fen,
                entries: [FundsEntry]) {
        self.trade = trade
        self.value = value
        self.buyerFee = buyerFee
        self.sellerFee = sellerFee
        self.released = released
        self.entries = entries
    }

    /// The funds leg as the `SettlementTracker` records it.
    public var fundsLeg: FundsLeg {
        FundsLeg(tradeId: trade.tradeId, buyerAccountId: trade.buyerAccountId, sellerAccountId: trade.sellerAccountId,
                 value: value, buyerFee: buyerFee, sellerFee: sellerFee)
    }
}
