/// A fee rate on traded value, per side, in parts per million of the value.
///
/// Parts per million rather than basis points so that rates like 0.025% (250 ppm) or
/// 0.0045% (45 ppm) are exact; `basisPoints(_:)` builds the usual form (5 bp = 0.05% = 500 ppm).
/// Valid rates are 0...1,000,000 ppm (0-100%), so a fee never exceeds the value it is charged on.
public struct FeeRate: Hashable, Codable, Sendable, CustomStringConvertible {
    /// One million: the denominator of `partsPerMillion`.
    public static let million: Int64 = 1_000_000

    public var partsPerMillion: Int64

    public init(partsPerMillion: Int64) { self.partsPerMillion = partsPerMillion }

    /// A rate in basis points (1 bp = 0.01% = 100 ppm).
    public static func basisPoints(_ basisPoints: Int64) -> FeeRate {
        FeeRate(partsPerMillion: basisPoints * 100)
    }

    /// Whether the rate is within 0-100%.
    public var isValid: Bool { (0...Self.million).contains(partsPerMillion) }

    public var description: String { "\(partsPerMillion) ppm" }

    /// The fee on `value`, rounded to a whole fen by `rounding`.
    ///
    /// Exact for every `value` up to `Int64.max` and every valid rate: the value is split into
    /// whole millions and a remainder so that no product overflows.
    /// - Precondition: `value >= 0` and the rate is valid.
    public func fee(on value: Fen, rounding: FeeRounding) -> Fen {
        let millions = value.rawValue / Self.million
        let remainder = value.rawValue % Self.million
        let fraction = remainder * partsPerMillion // < 10^12
        let roundedFraction: Int64
        switch rounding {
        case .down: roundedFraction = fraction / Self.million
        case .up: roundedFraction = (fraction + Self.million - 1) / Self.million
        case .halfUp: roundedFraction = (fraction + Self.million / 2) / Self.million
        }
        return Fen(millions * partsPerMillion + roundedFraction)
    }

    /// The most fee one tonne bought at `price` can cost: the fee on `price`, rounded *up*.
    ///
    /// Reservations hold `quantity x (price + maximumFeePerTonne(price))`. Per-trade rounding
    /// could otherwise make the fees of many small fills exceed the fee on their total; a fill
    /// of `k` tonnes at a price `p <= price` costs at most `ceil(k x p x rate)`
    /// `<= k x ceil(price x rate)` under every rounding mode, so this bound always covers them.
    public func maximumFeePerTonne(at price: Fen) -> Fen {
        fee(on: price, rounding: .up)
    }
}

/// How a fee is rounded to a whole fen, per trade and per side.
public enum FeeRounding: String, Codable, Sendable, CaseIterable {
    /// Halves and above go up (0.5 fen -> 1 fen, 0.49 -> 0): the default.
    case halfUp = "half-up"
    /// Any fraction goes up (in the exchange's favour).
    case up
    /// Any fraction is dropped (in the participant's favour).
    case down
}
