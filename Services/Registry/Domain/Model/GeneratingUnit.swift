/// The benchmark category of a generating unit (contract enumeration `unit category`).
///
/// Each category has its own electricity and heat benchmarks in the allocation rules.
public enum UnitCategory: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Hashable {
    /// Conventional coal-fired, above 300 MW.
    case coalAbove300MW = "coal-above-300mw"
    /// Conventional coal-fired, 300 MW or below.
    case coal300MWOrBelow = "coal-300mw-or-below"
    /// Unconventional coal: coal gangue, slime, coal-water slurry.
    case coalUnconventional = "coal-unconventional"
    /// Natural-gas fired.
    case gas

    /// Whether the unit burns coal of any kind (the gas rules differ in allocation and compliance).
    public var isCoal: Bool { self != .gas }
}

/// How a unit is cooled; air-cooled units get an upward correction in allocation.
public enum Cooling: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Hashable {
    case water
    case air
}

/// One generating unit of a power-sector entity, as registered.
///
/// Allocation is computed per unit from its category and cooling, so these fields are
/// fixed at registration; the yearly output arrives separately (`UnitOutput`).
public struct GeneratingUnit: Codable, Sendable, Hashable {
    /// Identifier unique within its entity.
    public var unitId: String
    public var category: UnitCategory
    /// Nameplate capacity in whole megawatts; must be positive.
    public var capacityMW: Int
    public var cooling: Cooling

    public init(unitId: String, category: UnitCategory, capacityMW: Int, cooling: Cooling) {
        self.unitId = unitId
        self.category = category
        self.capacityMW = capacityMW
        self.cooling = cooling
    }
}
