@testable import MatchingDomain

/// A market with one instrument (`CEA`) and an open session, driven the way the service drives
/// the engine, with helpers that return just the outputs of each input.
struct Market {
    static let instrument: InstrumentID = "CEA"
    static let day: TradingDay = "2026-07-16"

    var engine: MatchingEngine

    /// A market whose session is open at `reference` (band 4,500...5,500 for the default).
    init(rules: MatchingRules = .standard, reference: Fen = 5_000, methods: MethodSet = .all) {
        engine = MatchingEngine(rules: rules)
        var ignored: [MatchingOutput] = []
        engine.openSession(instrument: Self.instrument, tradingDay: Self.day, referencePrice: reference,
                           methods: methods, into: &ignored)
    }

    static func request(_ id: String, _ side: Side, _ quantity: Int64, at price: Int64, account: String? = nil,
                        method: TradingMethod = .listed, counterparty: String? = nil) -> OrderRequest
    {
        OrderRequest(orderID: OrderID(id), account: AccountID(account ?? "acct-\(id)"), instrument: instrument,
                     side: side, method: method, quantity: Tonnes(quantity), price: Fen(price),
                     counterparty: counterparty.map { AccountID($0) })
    }

    /// Submits an order and, if it was not rejected at once, places its hold.
    @discardableResult
    mutating func order(_ id: String, _ side: Side, _ quantity: Int64, at price: Int64, account: String? = nil,
                        method: TradingMethod = .listed, counterparty: String? = nil) -> [MatchingOutput]
    {
        var outputs = submit(id, side, quantity, at: price, account: account, method: method,
                             counterparty: counterparty)
        if outputs.isEmpty { outputs += hold(id) }
        return outputs
    }

    /// Submits an order without its hold.
    mutating func submit(_ id: String, _ side: Side, _ quantity: Int64, at price: Int64, account: String? = nil,
                         method: TradingMethod = .listed, counterparty: String? = nil) -> [MatchingOutput]
    {
        var outputs: [MatchingOutput] = []
        engine.submit(Self.request(id, side, quantity, at: price, account: account, method: method,
                                   counterparty: counterparty), into: &outputs)
        return outputs
    }

    mutating func hold(_ id: String) -> [MatchingOutput] {
        var outputs: [MatchingOutput] = []
        engine.holdPlaced(orderID: OrderID(id), into: &outputs)
        return outputs
    }

    mutating func refuseHold(_ id: String, code: RejectionCode = "insufficient-funds",
                             reason: String = "Not enough funds.") -> [MatchingOutput]
    {
        var outputs: [MatchingOutput] = []
        engine.holdRefused(orderID: OrderID(id), code: code, reason: reason, into: &outputs)
        return outputs
    }

    mutating func cancel(_ id: String, account: String? = nil) -> [MatchingOutput] {
        var outputs: [MatchingOutput] = []
        engine.cancel(orderID: OrderID(id), account: AccountID(account ?? "acct-\(id)"),
                      instrument: Self.instrument, into: &outputs)
        return outputs
    }

    mutating func setMethods(_ methods: MethodSet) {
        var outputs: [MatchingOutput] = []
        engine.setMethods(methods, instrument: Self.instrument, into: &outputs)
    }

    mutating func close(day: TradingDay = Market.day, referencePrice: Fen? = nil) -> [MatchingOutput] {
        var outputs: [MatchingOutput] = []
        engine.closeSession(instrument: Self.instrument, tradingDay: day, referencePrice: referencePrice, into: &outputs)
        return outputs
    }

    mutating func open(day: TradingDay, reference: Fen? = nil, methods: MethodSet = .all) -> [MatchingOutput] {
        var outputs: [MatchingOutput] = []
        engine.openSession(instrument: Self.instrument, tradingDay: day, referencePrice: reference,
                           methods: methods, into: &outputs)
        return outputs
    }

    mutating func closeAuction() -> [MatchingOutput] {
        var outputs: [MatchingOutput] = []
        engine.closeAuction(instrument: Self.instrument, into: &outputs)
        return outputs
    }

    var depth: MarketDepth? { engine.marketData(instrument: Self.instrument) }
}

extension Array where Element == MatchingOutput {
    var trades: [Trade] { compactMap { if case .trade(let t) = $0 { t } else { nil } } }
    var rejections: [OrderRejected] { compactMap { if case .rejected(let r) = $0 { r } else { nil } } }
    var accepted: [OrderAccepted] { compactMap { if case .accepted(let a) = $0 { a } else { nil } } }
    var cancellations: [OrderClosed] { compactMap { if case .cancelled(let c) = $0 { c } else { nil } } }
    var expiries: [OrderClosed] { compactMap { if case .expired(let e) = $0 { e } else { nil } } }
    var commandRejections: [CommandRejected] {
        compactMap { if case .commandRejected(let c) = $0 { c } else { nil } }
    }
    var summary: SessionSummary? {
        compactMap { if case .sessionClosed(let s) = $0 { s } else { nil } }.first
    }
    /// Trades as (buy order, sell order, price, quantity), easy to compare.
    var fills: [Execution] {
        trades.map { Execution($0.buyOrderID.rawValue, $0.sellOrderID.rawValue, $0.price.rawValue, $0.quantity.rawValue) }
    }
}

/// A trade reduced to what price-time tests compare.
struct Execution: Equatable, CustomStringConvertible {
    var buy: String, sell: String, price: Int64, quantity: Int64
    init(_ buy: String, _ sell: String, _ price: Int64, _ quantity: Int64) {
        self.buy = buy; self.sell = sell; self.price = price; self.quantity = quantity
    }
    var description: String { "\(buy)/\(sell) \(quantity)@\(price)" }
}

/// SplitMix64: a small seeded generator so that property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension ListedBook {
    /// Checks every structural invariant of the book; returns the broken ones.
    func invariantViolations() -> [String] {
        var problems: [String] = []
        var seen = 0
        for (index, level) in levels.enumerated() {
            var count: Int32 = 0, quantity: Int64 = 0, previous: Int32 = -1, cursor = level.head
            while cursor >= 0 {
                let node = nodes[Int(cursor)]
                if node.prev != previous { problems.append("level \(index): broken back link") }
                if node.price != base + Int64(index) { problems.append("level \(index): node at wrong price") }
                if node.remaining <= 0 { problems.append("level \(index): empty node linked") }
                count += 1; quantity += node.remaining; previous = cursor; cursor = node.next
            }
            if previous != level.tail { problems.append("level \(index): wrong tail") }
            if count != level.count || quantity != level.quantity { problems.append("level \(index): wrong totals") }
            let bit = occupancy[index >> 6] >> UInt64(index & 63) & 1 == 1
            if bit != (count > 0) { problems.append("level \(index): wrong occupancy bit") }
            if count > 0 {
                let isBid = bestBidIndex >= 0 && index <= bestBidIndex
                let isAsk = bestAskIndex >= 0 && index >= bestAskIndex
                if isBid == isAsk { problems.append("level \(index): neither clearly bid nor ask") }
            }
            seen += Int(count)
        }
        if seen != restingOrderCount { problems.append("resting count \(restingOrderCount), linked \(seen)") }
        if isCrossed { problems.append("crossed: \(String(describing: bestBid)) >= \(String(describing: bestAsk))") }
        return problems
    }
}
