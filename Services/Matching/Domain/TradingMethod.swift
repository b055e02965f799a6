/// Which side of the market an order is on (`buy` / `sell` in the contract).
public enum Side: String, Codable, Sendable, CaseIterable {
    case buy
    case sell

    /// The side an order of this side trades against.
    public var opposite: Side { self == .buy ? .sell : .buy }
}

/// The trading method of an order (`listed`, `block`, `auction` in the contract).
public enum TradingMethod: String, Codable, Sendable, CaseIterable {
    /// Listed agreement: the continuous limit order book.
    case listed
    /// Block agreement: a quote addressed to one named counterparty.
    case block
    /// One-way bidding: one seller, many bidders, allocated at the window close.
    case auction
}

/// The set of methods a session currently accepts orders for.
///
/// The rules give each method its own hours (listed 9:30-11:30 and 13:00-15:00, block
/// 13:00-15:00, auctions as announced). The engine reads no clock, so the service moves the
/// session between phases by setting this set; an order for a method outside it is rejected.
public struct MethodSet: OptionSet, Codable, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let listed = MethodSet(rawValue: 1 << 0)
    public static let block = MethodSet(rawValue: 1 << 1)
    public static let auction = MethodSet(rawValue: 1 << 2)

    /// Every method: the default when a session opens.
    public static let all: MethodSet = [.listed, .block, .auction]
    /// The morning phase (9:30-11:30): listed and announced auctions, no block trades.
    public static let morning: MethodSet = [.listed, .auction]
    /// The afternoon phase (13:00-15:00): every method.
    public static let afternoon: MethodSet = .all
    /// The lunch break: the session stays open (orders rest) but accepts no new orders.
    public static let paused: MethodSet = []

    /// The member for one method.
    public init(_ method: TradingMethod) {
        switch method {
        case .listed: self = .listed
        case .block: self = .block
        case .auction: self = .auction
        }
    }

    /// Whether orders of `method` are currently accepted.
    public func allows(_ method: TradingMethod) -> Bool { contains(MethodSet(method)) }
}
