/// How orders leave: cancels, and everything that ends when the session closes.
extension InstrumentState {
    /// Takes a working order out of its market and reports `OrderCancelled` for its remainder.
    /// Cancelling an auction's seller ends the auction: its bids expire.
    mutating func cancelWorking(_ ref: OrderRef, into outputs: inout [MatchingOutput]) {
        let i = Int(ref.rawValue)
        switch orders[i].request.method {
        case .listed:
            if let slot = orders[i].slot, let left = book.cancel(slot: slot, order: ref) {
                orders[i].remaining = left
            }
        case .block:
            blockQuotes.removeAll { $0 == ref }
        case .auction:
            if auction?.seller == ref {
                orders[i].status = .finished
                outputs.append(.cancelled(orders[i].closed))
                abandonAuction(into: &outputs)
                return
            }
            auction?.bids.removeAll { $0 == ref }
        }
        orders[i].status = .finished
        orders[i].slot = nil
        outputs.append(.cancelled(orders[i].closed))
    }

    /// Closes the session: every working order expires (listed book in price-time order, then
    /// block quotes, then the auction if its window was never closed), orders still waiting for
    /// their hold will expire when it arrives, and the day's summary is produced. The closing
    /// price becomes the next session's reference; `closeWithoutTrades`, when given, is that
    /// price on a day without listed trades instead of the session's reference.
    mutating func closeSession(closeWithoutTrades: Fen? = nil, into outputs: inout [MatchingOutput]) {
        guard let session else { return }
        for (ref, left) in book.removeAll() {
            orders[Int(ref.rawValue)].remaining = left
            expire(ref, into: &outputs)
        }
        for ref in blockQuotes { expire(ref, into: &outputs) }
        blockQuotes = []
        if let seller = auction?.seller {
            abandonAuction(into: &outputs)
            expire(seller, into: &outputs)
        }
        for i in orders.indices where orders[i].status == .pending {
            orders[i].status = .pendingExpired
        }
        let summary = session.statistics.summary(instrument: id, tradingDay: session.tradingDay,
                                                 reference: session.referencePrice,
                                                 closeWithoutTrades: closeWithoutTrades ?? session.referencePrice)
        previousClose = summary.closePrice
        self.session = nil
        outputs.append(.sessionClosed(summary))
    }
}
