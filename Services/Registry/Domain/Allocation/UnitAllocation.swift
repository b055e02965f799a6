import Foundation

/// The audit trail of one unit's allocation: every input, every factor and the unrounded
/// result, so anyone can recompute it by hand from the rules version.
///
/// allowance = (electricityBenchmark x electricityMWh x coolingFactor x heatSupplyFactor
///              x loadFactor + heatBenchmark x heatGJ) x share
///
/// Rounding happens only at the entity level; these values are exact. Encoded with every
/// decimal as a JSON *string* so no consumer parses them into a binary float.
public struct UnitAllocation: Codable, Sendable, Hashable {
    public var unitId: String
    public var category: UnitCategory
    public var cooling: Cooling
    public var electricityMWh: Decimal
    public var heatGJ: Decimal
    public var loadRate: Decimal
    public var heatSupplyRatio: Decimal
    public var electricityBenchmark: Decimal
    public var heatBenchmark: Decimal
    public var coolingFactor: Decimal
    public var heatSupplyFactor: Decimal
    /// 1 when the load correction does not apply (gas, cogeneration).
    public var loadFactor: Decimal
    /// 1 for the final allocation, the pre-allocation share (0.7) for the pre-allocation.
    public var share: Decimal
    /// Electricity term times share, tonnes (unrounded).
    public var electricityPart: Decimal
    /// Heat term times share, tonnes (unrounded).
    public var heatPart: Decimal

    /// The unit's unrounded allowance in tonnes.
    public var exactQuantity: Decimal { electricityPart + heatPart }

    private enum CodingKeys: String, CodingKey {
        case unitId, category, cooling, electricityMWh, heatGJ, loadRate, heatSupplyRatio
        case electricityBenchmark, heatBenchmark, coolingFactor, heatSupplyFactor, loadFactor, share
        case electricityPart, heatPart, exactQuantity
    }

    private static var decimalKeys: [(CodingKeys, WritableKeyPath<UnitAllocation, Decimal>)] { [
        (.electricityMWh, \.electricityMWh), (.heatGJ, \.heatGJ), (.loadRate, \.loadRate),
        (.heatSupplyRatio, \.heatSupplyRatio), (.electricityBenchmark, \.electricityBenchmark),
        (.heatBenchmark, \.heatBenchmark), (.coolingFactor, \.coolingFactor),
        (.heatSupplyFactor, \.heatSupplyFactor), (.loadFactor, \.loadFactor), (.share, \.share),
        (.electricityPart, \.electricityPart), (.heatPart, \.heatPart),
    ] }

    init(unitId: String, category: UnitCategory, cooling: Cooling, output: UnitOutput,
         electricityBenchmark: Decimal, heatBenchmark: Decimal, coolingFactor: Decimal,
         heatSupplyFactor: Decimal, loadFactor: Decimal, share: Decimal) {
        self.unitId = unitId
        self.category = category
        self.cooling = cooling
        electricityMWh = output.electricityMWh
        heatGJ = output.heatGJ
        loadRate = output.loadRate
        heatSupplyRatio = output.heatSupplyRatio
        self.electricityBenchmark = electricityBenchmark
        self.heatBenchmark = heatBenchmark
        self.coolingFactor = coolingFactor
        self.heatSupplyFactor = heatSupplyFactor
        self.loadFactor = loadFactor
        self.share = share
        electricityPart = electricityBenchmark * output.electricityMWh * coolingFactor * heatSupplyFactor * loadFactor * share
        heatPart = heatBenchmark * output.heatGJ * share
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        unitId = try container.decode(String.self, forKey: .unitId)
        category = try container.decode(UnitCategory.self, forKey: .category)
        cooling = try container.decode(Cooling.self, forKey: .cooling)
        (electricityMWh, heatGJ, loadRate, heatSupplyRatio) = (0, 0, 0, 0)
        (electricityBenchmark, heatBenchmark, coolingFactor, heatSupplyFactor, loadFactor, share) = (0, 0, 0, 0, 0, 0)
        (electricityPart, heatPart) = (0, 0)
        for (key, path) in Self.decimalKeys {
            let text = try container.decode(String.self, forKey: key)
            guard let value = Decimal(string: text), value.description == text else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                       debugDescription: "'\(text)' is not a canonical decimal")
            }
            self[keyPath: path] = value
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(unitId, forKey: .unitId)
        try container.encode(category, forKey: .category)
        try container.encode(cooling, forKey: .cooling)
        for (key, path) in Self.decimalKeys {
            try container.encode(self[keyPath: path].exactText, forKey: key)
        }
        try container.encode(exactQuantity.exactText, forKey: .exactQuantity)
    }
}
