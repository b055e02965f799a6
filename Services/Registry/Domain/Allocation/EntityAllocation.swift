import Foundation

/// Which allocation of a year: `pre` (from the reference year's output, before the year's
/// output is verified) or `final` (from the verified output); contract values `pre|final`.
public enum AllocationPhase: String, Codable, Sendable, CaseIterable, Hashable {
    case pre
    case `final`
}

/// An entity's allocation for one phase: the per-unit audit trail and the whole tonnes issued.
///
/// `quantity` is the sum of the units' exact allowances rounded half up to whole tonnes once,
/// at the entity level (rounding each unit first could drift by a tonne per unit).
/// Encoded with `exactTotal` as a string, like the units' decimals.
public struct EntityAllocation: Codable, Sendable, Hashable {
    public var entityId: String
    public var phase: AllocationPhase
    /// `AllocationRules.version` that produced it.
    public var rulesVersion: String
    public var units: [UnitAllocation]
    /// Tonnes to issue: `exactTotal` rounded half up.
    public var quantity: Int

    /// Unrounded sum over the units.
    public var exactTotal: Decimal {
        units.reduce(Decimal(0)) { $0 + $1.exactQuantity }
    }

    public init(entityId: String, phase: AllocationPhase, rulesVersion: String, units: [UnitAllocation], quantity: Int) {
        self.entityId = entityId
        self.phase = phase
        self.rulesVersion = rulesVersion
        self.units = units
        self.quantity = quantity
    }

    private enum CodingKeys: String, CodingKey {
        case entityId, phase, rulesVersion, units, quantity, exactTotal
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entityId = try container.decode(String.self, forKey: .entityId)
        phase = try container.decode(AllocationPhase.self, forKey: .phase)
        rulesVersion = try container.decode(String.self, forKey: .rulesVersion)
        units = try container.decode([UnitAllocation].self, forKey: .units)
        quantity = try container.decode(Int.self, forKey: .quantity)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entityId, forKey: .entityId)
        try container.encode(phase, forKey: .phase)
        try container.encode(rulesVersion, forKey: .rulesVersion)
        try container.encode(units, forKey: .units)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(exactTotal.exactText, forKey: .exactTotal)
    }

    /// The true-up once the final allocation is known: `final - pre` tonnes. Positive means
    /// issue the difference; negative means claw it back; zero means nothing to do.
    public static func trueUp(final: EntityAllocation, pre: EntityAllocation) -> Int {
        final.quantity - pre.quantity
    }
}
