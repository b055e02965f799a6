import Foundation

/// What a generating unit supplied in a year: the inputs of its allocation
/// (the `RecordUnitOutput` payload without the entity and year, which the caller keys by).
///
/// Values are exact decimals, never `Double`: JSON numbers decode into `Decimal` digit for
/// digit, so the same record gives the same allocation everywhere. Bounds keep every product
/// of the formula exact within `Decimal`'s 38 digits and reject nonsense early:
/// - `electricityMWh`, `heatGJ`: 0 ... 10^12, at most 3 decimals (kWh / MJ resolution);
/// - `loadRate`, `heatSupplyRatio`: 0 ... 1, at most 4 decimals (0.01 percentage points).
public struct UnitOutput: Codable, Sendable, Hashable {
    public var unitId: String
    /// Electricity supplied to the grid in the year, MWh.
    public var electricityMWh: Decimal
    /// Heat supplied in the year, GJ.
    public var heatGJ: Decimal
    /// Annual average load rate `F` (output / capacity x hours), 0...1.
    public var loadRate: Decimal
    /// Share of the unit's heat input that went to supplied heat, 0...1 (0 = pure-condensing).
    public var heatSupplyRatio: Decimal

    public static let maxQuantity = Decimal(1_000_000_000_000)
    public static let quantityDecimals = 3
    public static let ratioDecimals = 4

    public init(unitId: String, electricityMWh: Decimal, heatGJ: Decimal = 0,
                loadRate: Decimal, heatSupplyRatio: Decimal = 0) {
        self.unitId = unitId
        self.electricityMWh = electricityMWh
        self.heatGJ = heatGJ
        self.loadRate = loadRate
        self.heatSupplyRatio = heatSupplyRatio
    }

    /// The first reason these figures cannot be used, as an `invalid-unit-output` refusal.
    public var problem: RegistryRefusal? {
        let checks: [(String, Decimal, Decimal, Int)] = [
            ("electricityMWh", electricityMWh, Self.maxQuantity, Self.quantityDecimals),
            ("heatGJ", heatGJ, Self.maxQuantity, Self.quantityDecimals),
            ("loadRate", loadRate, 1, Self.ratioDecimals),
            ("heatSupplyRatio", heatSupplyRatio, 1, Self.ratioDecimals),
        ]
        for (field, value, max, decimals) in checks {
            if let reason = Self.problem(field, value, max: max, decimals: decimals) {
                return RegistryRefusal(code: RefusalCode.invalidOutput, reason: "unit \(unitId): \(reason)")
            }
        }
        return nil
    }

    private static func problem(_ field: String, _ value: Decimal, max: Decimal, decimals: Int) -> String? {
        if value.isNaN { return "\(field) is not a number" }
        if value < 0 { return "\(field) must not be negative, got \(value)" }
        if value > max { return "\(field) must be at most \(max), got \(value)" }
        if !value.hasAtMost(decimalPlaces: decimals) {
            return "\(field) must have at most \(decimals) decimals, got \(value)"
        }
        return nil
    }
}
