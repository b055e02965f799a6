/// A one-way bidding auction: one seller offers a quantity (optionally with a floor price),
/// buyers bid during the window, and at the window's close the quantity goes to the highest
/// bids, earliest first at equal prices, each winner paying its own bid.
struct Auction: Equatable, Codable, Sendable {
    /// The seller's order; its quantity is what is offered.
    var seller: OrderRef
    /// No bid below this is accepted (zero: no floor).
    var floor: Fen
    /// Admitted bids in admission order (their time priority).
    var bids: [OrderRef] = []
}

extension InstrumentState {
    /// Closes the auction's window: allocates, then ends every bid that did not fill completely
    /// (`Expired` with its remainder) and the seller's unsold remainder.
    /// Outputs: trades in allocation order, then the expiries.
    mutating func allocateAuction(into outputs: inout [MatchingOutput]) {
        guard let auction else { return }
        self.auction = nil
        let ranked = auction.bids.enumerated().sorted { lhs, rhs in
            let left = orders[Int(lhs.element.rawValue)].request.price
            let right = orders[Int(rhs.element.rawValue)].request.price
            return left != right ? left > right : lhs.offset < rhs.offset
        }.map(\.element)
        for bid in ranked {
            let left = orders[Int(auction.seller.rawValue)].remaining
            guard left.rawValue > 0 else { break }
            let record = orders[Int(bid.rawValue)]
            let quantity = min(left, record.remaining)
            outputs.append(.trade(trade(method: .auction, price: record.request.price, quantity: quantity,
                                        buy: bid, sell: auction.seller)))
            finishIfFilled(bid)
        }
        finishIfFilled(auction.seller)
        for bid in ranked where orders[Int(bid.rawValue)].status == .working {
            expire(bid, into: &outputs)
        }
        if orders[Int(auction.seller.rawValue)].status == .working {
            expire(auction.seller, into: &outputs)
        }
    }

    /// Ends a working order with `OrderExpired` for its remainder.
    mutating func expire(_ ref: OrderRef, into outputs: inout [MatchingOutput]) {
        orders[Int(ref.rawValue)].status = .finished
        orders[Int(ref.rawValue)].slot = nil
        outputs.append(.expired(orders[Int(ref.rawValue)].closed))
    }

    /// Ends the auction without allocating (its seller cancelled, or the session closed first):
    /// every bid expires.
    mutating func abandonAuction(into outputs: inout [MatchingOutput]) {
        guard let auction else { return }
        self.auction = nil
        for bid in auction.bids { expire(bid, into: &outputs) }
    }
}
