/// The rules checked when an order is submitted, before its hold arrives.
///
/// Why at submit: the participant learns at once, and the rules apply as of the moment the
/// order was sent (an order sent at 14:59:59 is not refused because its hold came at 15:00:01).
/// The registry and settlement request the hold from the same `market.orders` record anyway, so
/// a rejected order may still get a hold; they release it on `OrderRejected` (`HoldStatus`
/// says whether matching had seen the hold). Only the self-trade check and the state of an
/// auction depend on the book at admission, so those are checked again when the hold arrives.
extension InstrumentState {
    /// The first rule `request` breaks, or `nil` when it may wait for its hold.
    func violation(of request: OrderRequest, rules: MatchingRules) -> Rejection? {
        guard let session else {
            return Rejection(.sessionClosed, "No trading session is open for \(id).")
        }
        guard session.methods.allows(request.method) else {
            return Rejection(.methodNotEnabled,
                             "Orders of method \(request.method.rawValue) are not accepted in the current trading phase of \(id).")
        }
        if let rejection = Self.shapeViolation(of: request, rules: rules) { return rejection }
        if let rejection = Self.sizeViolation(of: request, rules: rules) { return rejection }
        if let basisPoints = rules.bandBasisPoints(for: request.method), !isAuctionWithoutFloor(request) {
            let band = PriceBand(reference: session.referencePrice, basisPoints: basisPoints)
            guard band.contains(request.price) else {
                return Rejection(.priceOutsideBand,
                                 "Price \(request.price) fen is outside the \(request.method.rawValue) band \(band.lower)...\(band.upper) fen.")
            }
        }
        switch request.method {
        case .listed: return nil
        case .block: return Self.counterpartyViolation(of: request)
        case .auction: return auctionViolation(of: request)
        }
    }

    private func isAuctionWithoutFloor(_ request: OrderRequest) -> Bool {
        request.method == .auction && request.side == .sell && request.price.rawValue == 0
    }

    /// Positive, within the ceilings, on the tick and the lot.
    private static func shapeViolation(of request: OrderRequest, rules: MatchingRules) -> Rejection? {
        let floorless = request.method == .auction && request.side == .sell
        let lowest: Int64 = floorless ? 0 : 1
        guard request.price.rawValue >= lowest, request.price <= rules.maximumPrice else {
            return Rejection(.invalidPrice,
                             "Price \(request.price) fen must be between \(lowest) and \(rules.maximumPrice) fen.")
        }
        guard request.quantity.rawValue > 0, request.quantity <= rules.maximumQuantity else {
            return Rejection(.invalidQuantity,
                             "Quantity \(request.quantity) t must be between 1 and \(rules.maximumQuantity) t.")
        }
        guard request.price.rawValue % max(rules.tick.rawValue, 1) == 0 else {
            return Rejection(.priceNotOnTick, "Price \(request.price) fen is not a multiple of the \(rules.tick) fen tick.")
        }
        guard request.quantity.rawValue % max(rules.lot.rawValue, 1) == 0 else {
            return Rejection(.quantityNotOnLot, "Quantity \(request.quantity) t is not a multiple of the \(rules.lot) t lot.")
        }
        return nil
    }

    /// Listed orders below the limit, block orders at or above the minimum.
    private static func sizeViolation(of request: OrderRequest, rules: MatchingRules) -> Rejection? {
        switch request.method {
        case .listed where request.quantity >= rules.listedQuantityLimit:
            Rejection(.listedQuantityTooLarge,
                      "A listed order must be below \(rules.listedQuantityLimit) t; this one is \(request.quantity) t.")
        case .block where request.quantity < rules.blockMinimumQuantity:
            Rejection(.blockQuantityTooSmall,
                      "A block order must be at least \(rules.blockMinimumQuantity) t; this one is \(request.quantity) t.")
        default:
            nil
        }
    }

    private static func counterpartyViolation(of request: OrderRequest) -> Rejection? {
        guard let counterparty = request.counterparty, !counterparty.rawValue.isEmpty else {
            return Rejection(.missingCounterparty, "A block order must name the counterparty account it is addressed to.")
        }
        guard counterparty != request.account else {
            return Rejection(.counterpartyIsSelf, "A block order cannot be addressed to its own account.")
        }
        return nil
    }

    /// A sell opens an auction (one at a time); a bid needs an open auction and its floor.
    /// Checked again at admission, since the auction may open or close in between.
    func auctionViolation(of request: OrderRequest) -> Rejection? {
        if request.side == .sell {
            guard auction == nil else {
                return Rejection(.auctionAlreadyOpen, "An auction is already running for \(id); one runs at a time.")
            }
            return nil
        }
        guard let auction else {
            return Rejection(.noAuctionOpen, "No auction is running for \(id) to bid in.")
        }
        guard request.account != orders[Int(auction.seller.rawValue)].request.account else {
            return Rejection(.selfTrade, "The auction's seller cannot bid in its own auction.")
        }
        guard request.price >= auction.floor else {
            return Rejection(.belowFloorPrice, "Bid \(request.price) fen is below the auction's floor of \(auction.floor) fen.")
        }
        return nil
    }
}
