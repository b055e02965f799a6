/// The continuous limit order book of one instrument (listed agreement): price then time
/// priority, the incoming order trades at the resting order's price, the remainder rests.
///
/// Built for speed, because every listed order of the market goes through it:
/// - prices index a *ladder* of levels (one array slot per tick between the lowest and highest
///   resting price), with an occupancy bitmap to find the next best level in a few word scans;
/// - a single ladder serves both sides: the book is never crossed at rest, so every level below
///   the best ask holds bids or nothing, every level above the best bid asks or nothing;
/// - resting orders live in a slab of fixed-size nodes with a free list, linked into a FIFO per
///   level (with back links for O(1) cancel), so resting an order allocates nothing once the slab
///   has grown to the book's size;
/// - orders and accounts are dense integers (`OrderRef`, `AccountRef`); strings stay outside.
///
/// The book knows nothing of sessions, bands, holds or ids: the engine checks those first.
/// It is a value: copying it is a snapshot, and it is `Codable` for recovery.
public struct ListedBook: Codable, Equatable, Sendable {
    /// Price of `levels[0]`, a multiple of 64 so bitmap words line up when the ladder grows.
    var base: Int64 = 0
    var levels: [PriceLevel] = []
    /// One bit per level: set when the level holds at least one order.
    var occupancy: [UInt64] = []
    /// Ladder index of the best bid / best ask, or -1 when that side is empty.
    var bestBidIndex: Int = -1
    var bestAskIndex: Int = -1
    var nodes: [BookNode] = []
    var freeNode: Int32 = -1
    /// Number of orders resting on both sides.
    public internal(set) var restingOrderCount: Int = 0
    /// The price of the last listed trade, for market data.
    public internal(set) var lastPrice: Fen?
    /// The widest range of resting prices the ladder may cover, in ticks.
    public let maximumSpan: Int

    /// An empty book.
    /// - Parameter maximumSpan: the widest range of resting prices (in ticks) the ladder will
    ///   index; an order that would rest beyond it is refused (`priceRangeTooWide`).
    public init(maximumSpan: Int = MatchingRules.standard.maximumLadderSpan) {
        self.maximumSpan = max(maximumSpan, 128)
    }

    /// Submits an order: checks that it may trade and rest, then fills it against the opposite
    /// side from the best price while prices cross, and rests the remainder.
    ///
    /// Every check happens before the first fill, so a refused order leaves the book untouched.
    /// - Parameters:
    ///   - fills: receives one `Fill` per execution, in execution order (appended; the caller
    ///     clears it when it wants to reuse the buffer).
    /// - Returns: whether the order filled completely, rests, or was refused.
    public mutating func submit(
        order: OrderRef, account: AccountRef, side: Side, price: Fen, quantity: Tonnes,
        fills: inout [Fill]
    ) -> BookOutcome {
        let limit = price.rawValue
        var remaining = quantity.rawValue
        let check = assess(side: side, limit: limit, quantity: remaining, account: account.rawValue)
        if let maker = check.selfTradeMaker {
            return .selfTrade(maker: OrderRef(maker))
        }
        if check.fillable < remaining && !canIndex(limit) {
            return .priceRangeTooWide
        }
        if side == .buy {
            while remaining > 0, bestAskIndex >= 0, base + Int64(bestAskIndex) <= limit {
                remaining = consume(level: bestAskIndex, quantity: remaining, fills: &fills)
                if levels[bestAskIndex].count == 0 {
                    clearOccupied(bestAskIndex)
                    bestAskIndex = nextOccupied(above: bestAskIndex)
                }
            }
        } else {
            while remaining > 0, bestBidIndex >= 0, base + Int64(bestBidIndex) >= limit {
                remaining = consume(level: bestBidIndex, quantity: remaining, fills: &fills)
                if levels[bestBidIndex].count == 0 {
                    clearOccupied(bestBidIndex)
                    bestBidIndex = nextOccupied(below: bestBidIndex)
                }
            }
        }
        guard remaining > 0 else { return .filled }
        let slot = rest(order: order.rawValue, account: account.rawValue, side: side, price: limit,
                        quantity: remaining)
        return .resting(slot, remaining: Tonnes(remaining))
    }

    /// Walks, without changing anything, the resting orders the incoming order would trade
    /// with: finds a same-account order among them (self-trade) and how much could fill.
    func assess(side: Side, limit: Int64, quantity: Int64, account: Int32)
        -> (selfTradeMaker: Int32?, fillable: Int64)
    {
        var fillable: Int64 = 0
        var index = side == .buy ? bestAskIndex : bestBidIndex
        while index >= 0, fillable < quantity {
            let levelPrice = base + Int64(index)
            if side == .buy ? levelPrice > limit : levelPrice < limit { break }
            var cursor = levels[index].head
            while cursor >= 0, fillable < quantity {
                let node = nodes[Int(cursor)]
                if node.account == account { return (node.order, fillable) }
                fillable += node.remaining
                cursor = node.next
            }
            index = side == .buy ? nextOccupied(above: index) : nextOccupied(below: index)
        }
        return (nil, fillable)
    }

    /// Fills up to `quantity` from the front of one level, unlinking and freeing filled makers.
    /// - Returns: the incoming order's quantity still unfilled.
    private mutating func consume(level index: Int, quantity: Int64, fills: inout [Fill]) -> Int64 {
        var remaining = quantity
        let price = Fen(base + Int64(index))
        var level = levels[index]
        var cursor = level.head
        while cursor >= 0, remaining > 0 {
            let n = Int(cursor)
            let node = nodes[n]
            let traded = min(remaining, node.remaining)
            let makerLeft = node.remaining - traded
            remaining -= traded
            level.quantity -= traded
            fills.append(Fill(maker: OrderRef(node.order), makerAccount: AccountRef(node.account),
                              price: price, quantity: Tonnes(traded), makerRemaining: Tonnes(makerLeft)))
            if makerLeft == 0 {
                cursor = node.next
                release(node: n)
                level.count -= 1
                restingOrderCount -= 1
            } else {
                nodes[n].remaining = makerLeft
            }
        }
        level.head = cursor
        if cursor >= 0 { nodes[Int(cursor)].prev = -1 } else { level.tail = -1 }
        levels[index] = level
        lastPrice = price
        return remaining
    }

    /// Appends a remainder at the back of its price level's queue.
    private mutating func rest(order: Int32, account: Int32, side: Side, price: Int64, quantity: Int64)
        -> BookSlot
    {
        let index = ladderIndex(growingFor: price)
        let n = allocateNode(BookNode(next: -1, prev: levels[index].tail, order: order, account: account,
                                      price: price, remaining: quantity))
        if levels[index].tail >= 0 {
            nodes[Int(levels[index].tail)].next = n
        } else {
            levels[index].head = n
            setOccupied(index)
        }
        levels[index].tail = n
        levels[index].count += 1
        levels[index].quantity += quantity
        restingOrderCount += 1
        if side == .buy {
            if index > bestBidIndex { bestBidIndex = index }
        } else if bestAskIndex < 0 || index < bestAskIndex {
            bestAskIndex = index
        }
        return BookSlot(rawValue: n)
    }

    private mutating func allocateNode(_ node: BookNode) -> Int32 {
        if freeNode >= 0 {
            let n = freeNode
            freeNode = nodes[Int(n)].next
            nodes[Int(n)] = node
            return n
        }
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    /// Returns a node to the free list (its `remaining` is zeroed so it is recognisably free).
    mutating func release(node n: Int) {
        nodes[n] = BookNode(next: freeNode, prev: -1, order: -1, account: -1, price: 0, remaining: 0)
        freeNode = Int32(n)
    }
}

/// What happened to an order submitted to a `ListedBook`.
public enum BookOutcome: Equatable, Sendable {
    /// Completely filled; nothing rests.
    case filled
    /// The remainder rests in `slot` (keep it to cancel the order).
    case resting(BookSlot, remaining: Tonnes)
    /// Refused before any fill: it would have traded with `maker`, an order of the same account.
    case selfTrade(maker: OrderRef)
    /// Refused before any fill: its remainder would rest too far from the other resting prices.
    case priceRangeTooWide
}

/// One execution against a resting order, at the resting order's price.
public struct Fill: Equatable, Sendable {
    public var maker: OrderRef
    public var makerAccount: AccountRef
    public var price: Fen
    public var quantity: Tonnes
    /// What the resting order still has after this fill; zero means it left the book.
    public var makerRemaining: Tonnes
}

/// Where a resting order sits in the book's slab; needed to cancel it in O(1).
public struct BookSlot: RawRepresentable, Hashable, Codable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A resting order (or, when free, a link in the free list through `next`).
struct BookNode: Codable, Equatable, Sendable {
    var next: Int32
    var prev: Int32
    var order: Int32
    var account: Int32
    var price: Int64
    var remaining: Int64
}

/// One price: its FIFO queue of orders and their totals (for market data).
struct PriceLevel: Codable, Equatable, Sendable {
    var head: Int32 = -1
    var tail: Int32 = -1
    var count: Int32 = 0
    var quantity: Int64 = 0
}
