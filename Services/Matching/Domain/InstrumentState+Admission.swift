/// Admission: what happens when an order's hold is placed (or at once when holds are off).
extension InstrumentState {
    /// Files a submitted order and decides its fate now if it can: rejected by the rules or by a
    /// hold refused early, admitted if its hold came early or holds are off, else it waits.
    /// (A mutating method on purpose: reading an array element from outside copies it.)
    mutating func submit(_ record: OrderRecord, earlyHold: EarlyHold?, rules: MatchingRules,
                         fills: inout [Fill], into outputs: inout [MatchingOutput])
    {
        let ref = register(record)
        if case .refused(let rejection) = earlyHold {
            reject(ref, rejection, hold: .refused, into: &outputs)
        } else if let rejection = violation(of: record.request, rules: rules) {
            reject(ref, rejection, hold: earlyHold == nil ? .notPlaced : .placed, into: &outputs)
        } else if !rules.holdsRequired {
            admit(ref, hold: .notPlaced, fills: &fills, into: &outputs)
        } else if earlyHold != nil {
            admit(ref, hold: .placed, fills: &fills, into: &outputs)
        }
    }

    /// Puts a pending order into its market: the listed book, the block quotes or the auction.
    /// - Parameters:
    ///   - hold: what a rejection at this point means for the order's hold (`.placed` normally).
    ///   - fills: scratch buffer for the book, reused across calls.
    mutating func admit(_ ref: OrderRef, hold: HoldStatus, fills: inout [Fill],
                        into outputs: inout [MatchingOutput])
    {
        switch orders[Int(ref.rawValue)].request.method {
        case .listed: admitListed(ref, hold: hold, fills: &fills, into: &outputs)
        case .block: admitBlock(ref, into: &outputs)
        case .auction: admitAuction(ref, hold: hold, into: &outputs)
        }
    }

    /// Ends an order with `OrderRejected`.
    mutating func reject(_ ref: OrderRef, _ rejection: Rejection, hold: HoldStatus,
                         into outputs: inout [MatchingOutput])
    {
        orders[Int(ref.rawValue)].status = .finished
        outputs.append(.rejected(orders[Int(ref.rawValue)].rejected(rejection, hold: hold)))
    }

    /// Matches against the book at the resting orders' prices, then rests the remainder.
    private mutating func admitListed(_ ref: OrderRef, hold: HoldStatus, fills: inout [Fill],
                                      into outputs: inout [MatchingOutput])
    {
        let i = Int(ref.rawValue)
        let request = orders[i].request
        fills.removeAll(keepingCapacity: true)
        let outcome = book.submit(order: ref, account: orders[i].accountRef, side: request.side,
                                  price: request.price, quantity: request.quantity, fills: &fills)
        switch outcome {
        case .selfTrade(let maker):
            let makerID = orders[Int(maker.rawValue)].id
            reject(ref, Rejection(.selfTrade,
                                  "The order would trade with order \(makerID) of the same account."),
                   hold: hold, into: &outputs)
            return
        case .priceRangeTooWide:
            reject(ref, Rejection(.priceRangeTooWide,
                                  "Price \(request.price) fen is too far from the other resting prices of this book."),
                   hold: hold, into: &outputs)
            return
        case .filled, .resting:
            break
        }
        orders[i].status = .working
        outputs.append(.accepted(orders[i].accepted))
        for fill in fills {
            let (buy, sell) = request.side == .buy ? (ref, fill.maker) : (fill.maker, ref)
            outputs.append(.trade(trade(method: .listed, price: fill.price, quantity: fill.quantity,
                                        buy: buy, sell: sell)))
            finishIfFilled(fill.maker)
        }
        if case .resting(let slot, _) = outcome {
            orders[i].slot = slot
        } else {
            finishIfFilled(ref)
        }
    }

    /// Trades with the earliest waiting quote that is its mirror image (the named counterparty's
    /// opposite order, same price and quantity, naming this order's account); else waits.
    /// Block quotes are few, so a scan is cheaper than an index.
    private mutating func admitBlock(_ ref: OrderRef, into outputs: inout [MatchingOutput]) {
        let i = Int(ref.rawValue)
        let request = orders[i].request
        orders[i].status = .working
        outputs.append(.accepted(orders[i].accepted))
        let match = blockQuotes.firstIndex { quoteRef in
            let quote = orders[Int(quoteRef.rawValue)]
            return quote.request.account == request.counterparty && quote.request.counterparty == request.account
                && quote.request.side == request.side.opposite && quote.request.price == request.price
                && quote.remaining == request.quantity
        }
        guard let match else {
            blockQuotes.append(ref)
            return
        }
        let quoteRef = blockQuotes.remove(at: match)
        let (buy, sell) = request.side == .buy ? (ref, quoteRef) : (quoteRef, ref)
        outputs.append(.trade(trade(method: .block, price: request.price, quantity: request.quantity,
                                    buy: buy, sell: sell)))
        finishIfFilled(ref)
        finishIfFilled(quoteRef)
    }

    /// A sell opens the auction; a bid joins it (time priority is admission order).
    private mutating func admitAuction(_ ref: OrderRef, hold: HoldStatus, into outputs: inout [MatchingOutput]) {
        let i = Int(ref.rawValue)
        let request = orders[i].request
        if let rejection = auctionViolation(of: request) {
            reject(ref, rejection, hold: hold, into: &outputs)
            return
        }
        orders[i].status = .working
        outputs.append(.accepted(orders[i].accepted))
        if request.side == .sell {
            auction = Auction(seller: ref, floor: request.price)
        } else {
            auction?.bids.append(ref)
        }
    }
}
