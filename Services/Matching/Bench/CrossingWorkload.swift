import MatchingDomain

/// The "crossing" workload: orders alternate buy and sell, buys priced uniformly in
/// 1,880...1,889 fen and sells in 1,884...1,893 (so about half of them cross), quantities
/// uniform in 100, 200, ..., 1,000 t. Generated up front so that generation is not timed.
struct CrossingWorkload {
    var sides: [Side] = []
    var prices: [Fen] = []
    var quantities: [Tonnes] = []
    /// The account of each order, as a dense index (`accounts == 0`: one account per order).
    var accounts: [Int32] = []
    /// How many accounts orders are drawn from (0: one per order).
    let accountCount: Int

    static let referencePrice: Fen = 1_886

    init(orders: Int, seed: UInt64, accounts accountCount: Int) {
        self.accountCount = accountCount
        var random = SplitMix64(seed: seed)
        sides.reserveCapacity(orders)
        prices.reserveCapacity(orders)
        quantities.reserveCapacity(orders)
        accounts.reserveCapacity(orders)
        for index in 0..<orders {
            let side: Side = index % 2 == 0 ? .buy : .sell
            let low: Int64 = side == .buy ? 1_880 : 1_884
            sides.append(side)
            prices.append(Fen(low + Int64(random.next(below: 10))))
            quantities.append(Tonnes(100 * (1 + Int64(random.next(below: 10)))))
            accounts.append(accountCount > 0 ? Int32(random.next(below: UInt64(accountCount))) : Int32(index))
        }
    }

    var count: Int { sides.count }

    /// The workload as the engine takes it: string order ids, one account id per dense account.
    func requests() -> [OrderRequest] {
        (0..<count).map { i in
            OrderRequest(orderID: OrderID("o\(i)"), account: AccountID("a\(accounts[i])"), instrument: "CEA",
                         side: sides[i], quantity: quantities[i], price: prices[i])
        }
    }

    /// An engine sized for the workload, holds off (orders are admitted at submit), with the CEA
    /// session open at the reference price.
    func openEngine() -> MatchingEngine {
        var rules = MatchingRules.standard
        rules.holdsRequired = false
        var engine = MatchingEngine(rules: rules)
        engine.reserveCapacity(orders: count)
        var outputs: [MatchingOutput] = []
        engine.openSession(instrument: "CEA", tradingDay: "2026-07-16", referencePrice: Self.referencePrice, into: &outputs)
        return engine
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, seedable generator, so that a seed
/// reproduces a workload exactly on every machine.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (bound > 0), by rejection to avoid modulo bias.
    mutating func next(below bound: UInt64) -> UInt64 {
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return value % bound }
        }
    }
}
