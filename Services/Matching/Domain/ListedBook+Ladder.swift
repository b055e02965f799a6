/// The price ladder: an array of levels indexed by `price - base`, grown on demand.
///
/// With the band on, the engine sizes the ladder to the band when the session opens, and it never
/// grows during the day. With the band off (replays) it grows to cover the resting prices, in
/// steps of half its width so that growth is amortised, up to `maximumSpan` ticks. When the book
/// is empty a far price simply re-centres the ladder.
extension ListedBook {
    static let wordBits: Int64 = 64
    static let initialLevels: Int64 = 1_024

    /// Makes the ladder cover `low...high` now (e.g. the day's band), so it will not grow later.
    public mutating func reserveLadder(low: Fen, high: Fen) {
        guard low <= high else { return }
        let low = low.rawValue, high = high.rawValue
        if levels.isEmpty || restingOrderCount == 0 {
            let start = Self.alignDown(max(0, low))
            let end = Self.alignUp(high + 1)
            guard end - start <= Int64(maximumSpan) else { return }
            resetLadder(newBase: start, newCount: Int(end - start))
            return
        }
        let top = base + Int64(levels.count)
        let span = Self.alignUp(max(high, top - 1) + 1) - Self.alignDown(min(low, base))
        guard span <= Int64(maximumSpan) else { return }
        _ = ladderIndex(growingFor: low)
        _ = ladderIndex(growingFor: high)
    }

    /// Whether an order could rest at `price` without the ladder exceeding `maximumSpan`.
    func canIndex(_ price: Int64) -> Bool {
        if restingOrderCount == 0 || levels.isEmpty { return true }
        let low = min(base, price)
        let high = max(base + Int64(levels.count) - 1, price)
        return Self.alignUp(high + 1) - Self.alignDown(low) <= Int64(maximumSpan)
    }

    /// The ladder index of `price`, growing (or re-centring) the ladder if it is outside.
    /// Precondition: `canIndex(price)`.
    mutating func ladderIndex(growingFor price: Int64) -> Int {
        let top = base + Int64(levels.count)
        if price >= base && price < top { return Int(price - base) }
        if levels.isEmpty || restingOrderCount == 0 {
            let start = Self.alignDown(max(0, price - Self.initialLevels / 2))
            resetLadder(newBase: start, newCount: Int(Self.initialLevels))
            return Int(price - base)
        }
        let low = min(base, price)
        let high = max(top - 1, price)
        let slack = max(Self.wordBits, (high - low + 1) / 2)
        var start = Self.alignDown(max(0, price < base ? low - slack : low))
        var end = Self.alignUp((price >= top ? high + slack : high) + 1)
        if end - start > Int64(maximumSpan) {
            start = Self.alignDown(low)
            end = Self.alignUp(high + 1)
        }
        resize(newBase: start, newCount: Int(end - start))
        return Int(price - base)
    }

    /// Replaces the ladder with an empty one (only when no order rests).
    private mutating func resetLadder(newBase: Int64, newCount: Int) {
        base = newBase
        levels = Array(repeating: PriceLevel(), count: newCount)
        occupancy = Array(repeating: 0, count: newCount / 64)
        bestBidIndex = -1
        bestAskIndex = -1
    }

    /// Copies the ladder into a wider one starting at `newBase` (a multiple of 64 not above
    /// `base`), shifting the best indexes; nodes keep prices, not indexes, so they are untouched.
    private mutating func resize(newBase: Int64, newCount: Int) {
        if levels.isEmpty {
            resetLadder(newBase: newBase, newCount: newCount)
            return
        }
        let shift = Int(base - newBase)
        var newLevels = Array(repeating: PriceLevel(), count: newCount)
        newLevels.replaceSubrange(shift..<(shift + levels.count), with: levels)
        var newOccupancy = Array(repeating: UInt64(0), count: newCount / 64)
        newOccupancy.replaceSubrange((shift / 64)..<(shift / 64 + occupancy.count), with: occupancy)
        levels = newLevels
        occupancy = newOccupancy
        base = newBase
        if bestBidIndex >= 0 { bestBidIndex += shift }
        if bestAskIndex >= 0 { bestAskIndex += shift }
    }

    /// Forgets the ladder entirely (the book must be empty), e.g. at the session close.
    mutating func releaseLadder() {
        base = 0
        levels = []
        occupancy = []
        bestBidIndex = -1
        bestAskIndex = -1
    }

    static func alignDown(_ value: Int64) -> Int64 { value - ((value % wordBits) + wordBits) % wordBits }
    static func alignUp(_ value: Int64) -> Int64 { alignDown(value + wordBits - 1) }

    // MARK: Occupancy bitmap

    @inline(__always)
    mutating func setOccupied(_ index: Int) {
        occupancy[index >> 6] |= UInt64(1) << UInt64(index & 63)
    }

    @inline(__always)
    mutating func clearOccupied(_ index: Int) {
        occupancy[index >> 6] &= ~(UInt64(1) << UInt64(index & 63))
    }

    /// The lowest occupied index above `index`, or -1.
    func nextOccupied(above index: Int) -> Int {
        let start = index + 1
        guard start < levels.count else { return -1 }
        var word = start >> 6
        var bits = occupancy[word] & (UInt64.max << UInt64(start & 63))
        while bits == 0 {
            word += 1
            guard word < occupancy.count else { return -1 }
            bits = occupancy[word]
        }
        return word << 6 + bits.trailingZeroBitCount
    }

    /// The highest occupied index below `index`, or -1.
    func nextOccupied(below index: Int) -> Int {
        let start = index - 1
        guard start >= 0 else { return -1 }
        var word = start >> 6
        var bits = occupancy[word] & (UInt64.max >> UInt64(63 - (start & 63)))
        while bits == 0 {
            word -= 1
            guard word >= 0 else { return -1 }
            bits = occupancy[word]
        }
        return word << 6 + 63 - bits.leadingZeroBitCount
    }
}
