/// What a holding is denominated in: national allowances (`CEA`), certified offsets (`CCER`),
/// and later listings such as vintages (`CEA-2025`).
///
/// An open set rather than an enum, like the contract's `Instrument`: the exchange lists new
/// instruments over time, and the ledger only needs to keep them apart. Every account carries
/// one, because they are not interchangeable (only CEA trade on the national market; CCER
/// count toward compliance only up to a cap).
public struct Instrument: RawRepresentable, Hashable, Comparable, Sendable, Codable,
                          ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// China Emission Allowance, one tonne of CO2.
    public static let cea: Instrument = "CEA"
    /// China Certified Emission Reduction (offset), one tonne of CO2.
    public static let ccer: Instrument = "CCER"

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// 1-32 upper-case letters, digits and dashes (the contract's rule).
    public var isWellFormed: Bool {
        !rawValue.isEmpty && rawValue.count <= 32 && rawValue.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
    }

    public static func < (lhs: Instrument, rhs: Instrument) -> Bool { lhs.rawValue < rhs.rawValue }
}
