import Foundation

/// The few exact-decimal operations allocation needs, in one place so the rounding rules are
/// written once. `Decimal` is base-10 with a 38-digit mantissa: every product of the bounded
/// inputs and rule factors fits exactly, so results are identical on every machine.
extension Decimal {
    /// Rounds to `scale` decimal places, half away from zero (`.plain`): for the non-negative
    /// values allocation produces this is the "round half up" the rules ask for.
    func rounded(scale: Int) -> Decimal {
        var input = self
        var output = Decimal()
        NSDecimalRound(&output, &input, scale, .plain)
        return output
    }

    /// Whether the value needs no more than `places` digits after the decimal point.
    func hasAtMost(decimalPlaces places: Int) -> Bool {
        rounded(scale: places) == self
    }

    /// The value as an `Int` when it is a whole number that fits, else `nil`.
    /// Goes through the decimal text, never through `Double`, so large values stay exact.
    var exactInt: Int? {
        guard !isNaN, rounded(scale: 0) == self else { return nil }
        return Int(rounded(scale: 0).description)
    }

    /// The canonical text of the value (`Decimal.description` never uses exponent notation),
    /// used wherever an exact value leaves the module as a string.
    var exactText: String { description }

    /// `base ^ exponent` for a real exponent, made reproducible by rounding the binary
    /// `pow` result to `places` decimals (half away from zero). `pow`'s error (~1e-16 relative)
    /// matters only for a result within that distance of a rounding midpoint. For the shipped
    /// table (1.015^(16 - 20F), 6 decimals) every load rate with 4 decimals below 0.75 was
    /// checked against 50-digit arithmetic: the closest lies 1.3e-11 from a midpoint, about
    /// 10^5 times the `Double` error, so all 7,500 possible factors are exact.
    static func power(_ base: Decimal, _ exponent: Decimal, places: Int) -> Decimal? {
        guard let base = Double(base.description), let exponent = Double(exponent.description) else { return nil }
        let value = Foundation.pow(base, exponent)
        let scaled = (value * Foundation.pow(10, Double(places))).rounded(.toNearestOrAwayFromZero)
        guard scaled.isFinite, abs(scaled) < 1e15 else { return nil }
        return Decimal(sign: scaled < 0 ? .minus : .plus, exponent: -places,
                       significand: Decimal(Int64(abs(scaled))))
    }
}
