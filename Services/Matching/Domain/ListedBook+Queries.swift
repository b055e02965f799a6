/// Cancels, the session-close drain, and market data: everything but matching.
extension ListedBook {
    /// Removes a resting order.
    /// - Parameters:
    ///   - slot: where the order rests (from `BookOutcome.resting`).
    ///   - order: the order expected in that slot; a mismatch (stale slot) changes nothing.
    /// - Returns: the quantity it still had, or `nil` when it does not rest in `slot`.
    public mutating func cancel(slot: BookSlot, order: OrderRef) -> Tonnes? {
        let n = Int(slot.rawValue)
        guard n >= 0, n < nodes.count, nodes[n].remaining > 0, nodes[n].order == order.rawValue else {
            return nil
        }
        let node = nodes[n]
        let index = Int(node.price - base)
        if node.prev >= 0 { nodes[Int(node.prev)].next = node.next } else { levels[index].head = node.next }
        if node.next >= 0 { nodes[Int(node.next)].prev = node.prev } else { levels[index].tail = node.prev }
        levels[index].count -= 1
        levels[index].quantity -= node.remaining
        restingOrderCount -= 1
        release(node: n)
        if levels[index].count == 0 {
            clearOccupied(index)
            if index == bestBidIndex { bestBidIndex = nextOccupied(below: index) }
            if index == bestAskIndex { bestAskIndex = nextOccupied(above: index) }
        }
        return Tonnes(node.remaining)
    }

    /// The quantity still resting in `slot` for `order`, or `nil`.
    public func remaining(slot: BookSlot, order: OrderRef) -> Tonnes? {
        let n = Int(slot.rawValue)
        guard n >= 0, n < nodes.count, nodes[n].remaining > 0, nodes[n].order == order.rawValue else {
            return nil
        }
        return Tonnes(nodes[n].remaining)
    }

    /// Empties the book (the session close), reporting every resting order in price-time order:
    /// bids from the best down, then asks from the best up.
    /// - Returns: each order with the quantity it still had.
    public mutating func removeAll() -> [(order: OrderRef, remaining: Tonnes)] {
        var drained: [(order: OrderRef, remaining: Tonnes)] = []
        drained.reserveCapacity(restingOrderCount)
        for side in [Side.buy, .sell] {
            forEachLevel(side: side) { _, level in
                var cursor = level.head
                while cursor >= 0 {
                    let node = nodes[Int(cursor)]
                    drained.append((OrderRef(node.order), Tonnes(node.remaining)))
                    cursor = node.next
                }
                return true
            }
        }
        let kept = maximumSpan
        let last = lastPrice
        self = ListedBook(maximumSpan: kept)
        lastPrice = last
        return drained
    }

    /// Visits one side's levels from the best price outwards until `body` returns false.
    func forEachLevel(side: Side, _ body: (Fen, PriceLevel) -> Bool) {
        var index = side == .buy ? bestBidIndex : bestAskIndex
        while index >= 0 {
            guard body(Fen(base + Int64(index)), levels[index]) else { return }
            index = side == .buy ? nextOccupied(below: index) : nextOccupied(above: index)
        }
    }

    /// The best `levels` prices of each side with their total quantity and order count.
    public func depth(levels count: Int) -> MarketDepth {
        var depth = MarketDepth(bids: [], asks: [], lastPrice: lastPrice)
        for side in [Side.buy, .sell] {
            var rows: [DepthLevel] = []
            forEachLevel(side: side) { price, level in
                guard rows.count < count else { return false }
                rows.append(DepthLevel(price: price, quantity: Tonnes(level.quantity), orders: Int(level.count)))
                return rows.count < count
            }
            if side == .buy { depth.bids = rows } else { depth.asks = rows }
        }
        return depth
    }

    /// The best bid, if any.
    public var bestBid: Fen? { bestBidIndex >= 0 ? Fen(base + Int64(bestBidIndex)) : nil }
    /// The best ask, if any.
    public var bestAsk: Fen? { bestAskIndex >= 0 ? Fen(base + Int64(bestAskIndex)) : nil }

    /// Whether the best bid reaches the best ask. Never true between calls: an order that
    /// crosses trades until it no longer does.
    public var isCrossed: Bool {
        guard let bid = bestBid, let ask = bestAsk else { return false }
        return bid >= ask
    }
}

/// Market data of one book: best levels per side and the last price.
public struct MarketDepth: Equatable, Codable, Sendable {
    /// Bids, best (highest) first.
    public var bids: [DepthLevel]
    /// Asks, best (lowest) first.
    public var asks: [DepthLevel]
    public var lastPrice: Fen?
}

/// One price level as market data shows it.
public struct DepthLevel: Equatable, Codable, Sendable {
    public var price: Fen
    public var quantity: Tonnes
    public var orders: Int

    public init(price: Fen, quantity: Tonnes, orders: Int) {
        self.price = price
        self.quantity = quantity
        self.orders = orders
    }
}
