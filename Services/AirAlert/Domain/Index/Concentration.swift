/// A mass concentration in µg/m³ (ug/m3), held as an integer number of tenths.
///
/// Why tenths and not `Double`: HJ 633 rounds every IAQI *up*, so an index computed in floating
/// point can land one above the exact value at a breakpoint (50/55 x 55 is not exactly 50 in
/// binary). Holding concentrations as integers of 0.1 ug/m3 keeps the whole index computation in
/// integer arithmetic: an exact breakpoint always gives its exact IAQI. Monitoring networks
/// publish O3, PM and NO2 as whole ug/m3, so 0.1 is finer than any input we receive; a `Double`
/// input is rounded to the nearest tenth.
public struct Concentration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The largest value accepted at all (10 g/m3): far above any real reading, small enough
    /// that the index arithmetic cannot overflow.
    public static let absoluteLimit = Concentration(uncheckedTenths: 100_000_000)

    /// Tenths of a microgram per cubic metre.
    public let tenths: Int

    private init(uncheckedTenths: Int) {
        tenths = uncheckedTenths
    }

    /// A concentration of whole micrograms per cubic metre.
    /// - Throws: `invalid-concentration` when negative or above `absoluteLimit`.
    public init(micrograms: Int) throws {
        let (tenths, overflow) = micrograms.multipliedReportingOverflow(by: 10)
        try self.init(tenths: overflow ? -1 : tenths)
    }

    /// - Throws: `invalid-concentration` when negative or above `absoluteLimit`.
    public init(tenths: Int) throws {
        guard tenths >= 0, tenths <= Self.absoluteLimit.tenths else {
            throw AirAlertError.invalid("concentration",
                                        "a concentration must be between 0 and 10,000,000 ug/m3")
        }
        self.tenths = tenths
    }

    /// A measured value in ug/m3, rounded to the nearest 0.1.
    /// - Throws: `invalid-concentration` when not finite, negative or above `absoluteLimit`.
    public init(_ micrograms: Double) throws {
        guard micrograms.isFinite, micrograms >= 0,
              micrograms <= Double(Self.absoluteLimit.tenths) / 10 else {
            throw AirAlertError.invalid("concentration",
                                        "\(micrograms) ug/m3 is not a finite, non-negative concentration")
        }
        try self.init(tenths: Int((micrograms * 10).rounded()))
    }

    /// The value in ug/m3.
    public var micrograms: Double { Double(tenths) / 10 }

    /// `160` or `160.5`: whole values print without a decimal point.
    public var description: String {
        tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    public static func < (lhs: Concentration, rhs: Concentration) -> Bool { lhs.tenths < rhs.tenths }
}

extension Concentration: ExpressibleByIntegerLiteral {
    /// For breakpoint tables and tests: a literal is whole ug/m3 and must be in range.
    public init(integerLiteral value: Int) {
        precondition(value >= 0 && value <= 10_000_000, "concentration literal out of range")
        tenths = value * 10
    }
}

extension Concentration: Codable {
    /// Encoded as a JSON number of ug/m3 (`123` or `123.4`), as in the contract.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(Double.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if tenths % 10 == 0 {
            try container.encode(tenths / 10)
        } else {
            try container.encode(micrograms)
        }
    }
}
