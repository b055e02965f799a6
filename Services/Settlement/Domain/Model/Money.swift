/// An amount of money or a price in fen (0.01 CNY), the contract's unit for money.
///
/// A plain `Int64` underneath. Arithmetic traps on overflow like `Int64`'s; the ledger keeps
/// every amount at most `FundsLedger.maxAmount` and all money in it at most
/// `FundsLedger.maxOutstanding`, so the sums it forms cannot overflow.
public struct Fen: RawRepresentable, Hashable, Comparable, Codable, Sendable,
    ExpressibleByIntegerLiteral, CustomStringConvertible
{
    public var rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public init(integerLiteral value: Int64) { self.rawValue = value }

    public static let zero: Fen = 0

    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.rawValue < rhs.rawValue }
    public static func + (lhs: Fen, rhs: Fen) -> Fen { Fen(lhs.rawValue + rhs.rawValue) }
    public static func - (lhs: Fen, rhs: Fen) -> Fen { Fen(lhs.rawValue - rhs.rawValue) }
    public static prefix func - (value: Fen) -> Fen { Fen(-value.rawValue) }
    public static func += (lhs: inout Fen, rhs: Fen) { lhs.rawValue += rhs.rawValue }
    public static func -= (lhs: inout Fen, rhs: Fen) { lhs.rawValue -= rhs.rawValue }

    public var description: String { String(rawValue) }
}

/// A quantity of allowances in whole tonnes of CO2, the contract's unit for quantities.
public struct Tonnes: RawRepresentable, Hashable, Comparable, Codable, Sendable,
    ExpressibleByIntegerLiteral, CustomStringConvertible
{
    public var rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public init(integerLiteral value: Int64) { self.rawValue = value }

    public static let zero: Tonnes = 0

    public static func < (lhs: Tonnes, rhs: Tonnes) -> Bool { lhs.rawValue < rhs.rawValue }
    public static func + (lhs: Tonnes, rhs: Tonnes) -> Tonnes { Tonnes(lhs.rawValue + rhs.rawValue) }
    public static func - (lhs: Tonnes, rhs: Tonnes) -> Tonnes { Tonnes(lhs.rawValue - rhs.rawValue) }
    public static func += (lhs: inout Tonnes, rhs: Tonnes) { lhs.rawValue += rhs.rawValue }

    public var description: String { String(rawValue) }
}

extension Tonnes {
    /// `self x price` in fen, or `nil` when the product does not fit in an `Int64`.
    public func value(at price: Fen) -> Fen? {
        let (product, overflow) = rawValue.multipliedReportingOverflow(by: price.rawValue)
        return overflow ? nil : Fen(product)
    }
}
