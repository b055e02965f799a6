/// Running parsed orders through the engine, and writing the trades.
extension CSVReplay {
    /// The instrument and day a replay trades under (they appear in trade ids only).
    public static let instrument: InstrumentID = "REPLAY"
    public static let tradingDay: TradingDay = "2000-01-01"

    /// The listed rules without the price band, with no holds to wait for: a replay file has no
    /// previous close and no registry behind it.
    public static var rules: MatchingRules {
        var rules = MatchingRules.standard
        rules.listedBandBasisPoints = nil
        rules.holdsRequired = false
        return rules
    }

    /// Replays the orders, in file order, as listed limit orders of one book, through the same
    /// engine the service uses (so sizes, ticks and self-trade prevention apply).
    /// - Returns: every trade in execution order, and every order the rules refused.
    public static func replay(_ orders: [ReplayOrder], rules: MatchingRules = CSVReplay.rules) -> ReplayResult {
        var engine = MatchingEngine(rules: rules)
        engine.reserveCapacity(orders: orders.count)
        var outputs: [MatchingOutput] = []
        let reference = min(max(orders.first?.price ?? 1, 1), rules.maximumPrice)
        engine.openSession(instrument: instrument, tradingDay: tradingDay, referencePrice: reference,
                           methods: .listed, into: &outputs)
        var result = ReplayResult()
        for order in orders {
            outputs.removeAll(keepingCapacity: true)
            let request = OrderRequest(orderID: order.id, account: order.account ?? AccountID("order:\(order.id)"),
                                       instrument: instrument, side: order.side, method: .listed,
                                       quantity: order.quantity, price: order.price)
            engine.submit(request, into: &outputs)
            if rules.holdsRequired {
                engine.holdPlaced(orderID: order.id, into: &outputs)
            }
            for output in outputs {
                switch output {
                case .trade(let trade):
                    result.trades.append(trade)
                case .rejected(let rejected):
                    result.rejections.append(ReplayRejection(line: order.line, orderID: order.id,
                                                             code: rejected.code, reason: rejected.reason))
                case .commandRejected(let refused):
                    result.rejections.append(ReplayRejection(line: order.line, orderID: order.id,
                                                             code: refused.code, reason: refused.reason))
                default:
                    break
                }
            }
        }
        return result
    }

    /// The trades as CSV: header `buyOrderId,sellOrderId,price,quantity`, one line per trade.
    public static func tradesCSV(_ trades: [Trade]) -> String {
        var text = "buyOrderId,sellOrderId,price,quantity\n"
        text.reserveCapacity(trades.count * 32 + text.utf8.count)
        for trade in trades {
            text += "\(trade.buyOrderID),\(trade.sellOrderID),\(trade.price),\(trade.quantity)\n"
        }
        return text
    }
}

/// What a replay produced.
public struct ReplayResult: Equatable, Sendable {
    /// Every trade, in execution order.
    public var trades: [Trade] = []
    /// Orders the rules refused (e.g. a listed order of 100,000 t or more, a self-trade, a
    /// repeated id), in file order.
    public var rejections: [ReplayRejection] = []
}

/// An order of a replay file that the rules refused.
public struct ReplayRejection: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var orderID: OrderID
    public var code: RejectionCode
    public var reason: String

    public var description: String { "line \(line): order \(orderID) rejected (\(code)): \(reason)" }
}
