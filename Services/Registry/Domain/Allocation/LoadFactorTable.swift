import Foundation

/// The piecewise load (output) correction of pure-condensing coal units.
///
/// Units run below full load burn more coal per MWh, so the plan raises their allowance as
/// the annual load rate `F` falls. The table is data, not code, because the authority revises
/// the bands: each band starts at `minLoadRate` (inclusive) and runs up to the next higher
/// band; the first band whose minimum is `<= F` applies. The 2019-2020 plan's table:
///
/// | band | factor |
/// |---|---|
/// | F >= 0.85 | 1.0 (`constant`) |
/// | 0.80 <= F < 0.85 | 1 + 0.0014 x (85 - 100F) (`linear`) |
/// | 0.75 <= F < 0.80 | 1.007 + 0.0016 x (80 - 100F) (`linear`) |
/// | F < 0.75 | 1.015^(16 - 20F) (`power`) |
public struct LoadFactorTable: Codable, Sendable, Hashable {
    /// When true, only units with a zero heat-supply ratio (pure-condensing) get the load
    /// factor; cogeneration units get 1.0, because the heat-supply factor already corrects them.
    public var pureCondensingOnly: Bool
    /// Bands ordered from the highest `minLoadRate` down; the last starts at 0.
    public var bands: [LoadFactorBand]
    /// Decimals kept of a `power` band's result, which needs a binary `pow` (see `Decimal.power`).
    public var powerDecimals: Int

    public init(pureCondensingOnly: Bool = true, bands: [LoadFactorBand], powerDecimals: Int = 6) {
        self.pureCondensingOnly = pureCondensingOnly
        self.bands = bands
        self.powerDecimals = powerDecimals
    }

    /// The factor for load rate `loadRate` (0...1), or `nil` when no band covers it or a
    /// `power` band cannot be evaluated (rules validation rules both out).
    public func factor(loadRate: Decimal) -> Decimal? {
        guard let band = bands.first(where: { $0.minLoadRate <= loadRate }) else { return nil }
        return band.factor(loadRate: loadRate, powerDecimals: powerDecimals)
    }

    /// Problems that make the table unusable, in words; empty when it is sound.
    public var problems: [String] {
        var problems: [String] = []
        if bands.isEmpty { problems.append("load-factor table has no bands") }
        if !(0...12).contains(powerDecimals) { problems.append("powerDecimals must be 0...12, got \(powerDecimals)") }
        for (earlier, later) in zip(bands, bands.dropFirst()) where later.minLoadRate >= earlier.minLoadRate {
            problems.append("load-factor bands must be ordered by strictly decreasing minLoadRate")
        }
        if let last = bands.last, last.minLoadRate != 0 {
            problems.append("the last load-factor band must start at 0 so every load rate is covered")
        }
        for band in bands { problems += band.problems }
        return problems
    }
}

/// One band of a `LoadFactorTable`. Parameters by `kind`:
/// - `constant`: factor = `base`
/// - `linear`: factor = `base + slope x (pivot - 100F)` (pivot in percent of load)
/// - `power`: factor = `base ^ (pivot - slope x F)`
public struct LoadFactorBand: Codable, Sendable, Hashable {
    /// The shape of the band's formula; the rules file names it.
    public enum Kind: String, Codable, Sendable, Hashable {
        case constant, linear, power
    }

    /// Inclusive lower bound of the load rate (0...1) at which the band starts.
    public var minLoadRate: Decimal
    public var kind: Kind
    public var base: Decimal
    public var slope: Decimal?
    public var pivot: Decimal?

    public init(minLoadRate: Decimal, kind: Kind, base: Decimal, slope: Decimal? = nil, pivot: Decimal? = nil) {
        self.minLoadRate = minLoadRate
        self.kind = kind
        self.base = base
        self.slope = slope
        self.pivot = pivot
    }

    func factor(loadRate: Decimal, powerDecimals: Int) -> Decimal? {
        switch kind {
        case .constant:
            return base
        case .linear:
            guard let slope, let pivot else { return nil }
            return base + slope * (pivot - 100 * loadRate)
        case .power:
            guard let slope, let pivot else { return nil }
            return Decimal.power(base, pivot - slope * loadRate, places: powerDecimals)
        }
    }

    var problems: [String] {
        var problems: [String] = []
        if !(0...1).contains(minLoadRate) {
            problems.append("load-factor band minLoadRate must be within 0...1, got \(minLoadRate)")
        }
        if kind != .constant, slope == nil || pivot == nil {
            problems.append("a \(kind.rawValue) load-factor band needs slope and pivot")
        }
        if base.isNaN || base <= 0 { problems.append("load-factor band base must be positive, got \(base)") }
        return problems
    }
}
