/// The trading rules the engine enforces, as configuration rather than literals.
///
/// Defaults are the national CEA market's (SEEE rules of 2021, see RULES.md "Matching"). The
/// authority revises these, so each revision is a new value of this struct, not a code change.
public struct MatchingRules: Codable, Equatable, Sendable {
    /// Price tick: every price must be a multiple of this (default 1 fen = 0.01 CNY).
    public var tick: Fen
    /// Quantity lot: every quantity must be a multiple of this (default 1 t).
    public var lot: Tonnes
    /// A listed order's quantity must be strictly below this (default 100,000 t).
    public var listedQuantityLimit: Tonnes
    /// A block order's quantity must be at least this (default 100,000 t).
    public var blockMinimumQuantity: Tonnes
    /// Listed price band around the reference price, in basis points (default 1,000 = +-10%);
    /// `nil` disables the band check (e.g. replaying a file of orders).
    public var listedBandBasisPoints: Int64?
    /// Block price band in basis points (default 3,000 = +-30%); `nil` disables it.
    public var blockBandBasisPoints: Int64?
    /// Auction bid band in basis points; `nil` (default) because an auction's price is set by its
    /// floor and its bidders, not by the previous close.
    public var auctionBandBasisPoints: Int64?
    /// How many price levels per side market data shows (default 5).
    public var depthLevels: Int
    /// Whether an order waits for its pre-trade hold (frozen allowances / reserved funds) before
    /// it is admitted. `false` admits at submit: for replays and benchmarks only.
    public var holdsRequired: Bool
    /// The highest price accepted at all, in fen. Keeps price x quantity far from overflow.
    public var maximumPrice: Fen
    /// The largest quantity accepted at all (any method), in tonnes. Same reason.
    public var maximumQuantity: Tonnes
    /// The widest range of resting prices one listed book will index, in ticks. The book is a
    /// price-indexed ladder; with the band on it never comes near this, with the band off it
    /// bounds the ladder's memory (1,048,576 levels is about 25 MB).
    public var maximumLadderSpan: Int

    /// The rules of the national CEA market.
    public init(
        tick: Fen = 1,
        lot: Tonnes = 1,
        listedQuantityLimit: Tonnes = 100_000,
        blockMinimumQuantity: Tonnes = 100_000,
        listedBandBasisPoints: Int64? = 1_000,
        blockBandBasisPoints: Int64? = 3_000,
        auctionBandBasisPoints: Int64? = nil,
        depthLevels: Int = 5,
        holdsRequired: Bool = true,
        maximumPrice: Fen = 10_000_000,
        maximumQuantity: Tonnes = 1_000_000_000,
        maximumLadderSpan: Int = 1 << 20
    ) {
        self.tick = tick
        self.lot = lot
        self.listedQuantityLimit = listedQuantityLimit
        self.blockMinimumQuantity = blockMinimumQuantity
        self.listedBandBasisPoints = listedBandBasisPoints
        self.blockBandBasisPoints = blockBandBasisPoints
        self.auctionBandBasisPoints = auctionBandBasisPoints
        self.depthLevels = depthLevels
        self.holdsRequired = holdsRequired
        self.maximumPrice = maximumPrice
        self.maximumQuantity = maximumQuantity
        self.maximumLadderSpan = maximumLadderSpan
    }

    /// The defaults of RULES.md.
    public static let standard = MatchingRules()

    /// The band in basis points for a method, `nil` when that method has no band.
    public func bandBasisPoints(for method: TradingMethod) -> Int64? {
        switch method {
        case .listed: listedBandBasisPoints
        case .block: blockBandBasisPoints
        case .auction: auctionBandBasisPoints
        }
    }
}

/// The inclusive range of prices allowed around a reference price.
///
/// Rounding: the band's half-width is `reference x basisPoints / 10,000` rounded *down* to a
/// whole fen, so every allowed price is within the percentage exactly (reference 1,884 fen at
/// 10% gives 188 fen: 1,696...2,072; 1,695 would be 10.02% away).
public struct PriceBand: Equatable, Sendable, Codable {
    public var lower: Fen
    public var upper: Fen

    public init(reference: Fen, basisPoints: Int64) {
        let halfWidth = reference.rawValue * basisPoints / 10_000
        lower = Fen(reference.rawValue - halfWidth)
        upper = Fen(reference.rawValue + halfWidth)
    }

    public func contains(_ price: Fen) -> Bool { lower <= price && price <= upper }
}
