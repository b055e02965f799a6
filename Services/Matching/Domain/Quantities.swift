/// An amount of money or a price in fen (0.01 CNY), the contract's unit for money.
///
/// A separate type so that a price can never be passed where a quantity is expected; it is a
/// plain `Int64` underneath, so it costs nothing on the matching hot path.
public struct Fen: RawRepresentable, Hashable, Comparable, Codable, Sendable,
    ExpressibleByIntegerLiteral, CustomStringConvertible
{
    public var rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public init(integerLiteral value: Int64) { self.rawValue = value }

    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.rawValue < rhs.rawValue }
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

    public static func < (lhs: Tonnes, rhs: Tonnes) -> Bool { lhs.rawValue < rhs.rawValue }
    public static func + (lhs: Tonnes, rhs: Tonnes) -> Tonnes { Tonnes(lhs.rawValue + rhs.rawValue) }
    public static func - (lhs: Tonnes, rhs: Tonnes) -> Tonnes { Tonnes(lhs.rawValue - rhs.rawValue) }
    public static let zero: Tonnes = 0
    public var description: String { String(rawValue) }
}
