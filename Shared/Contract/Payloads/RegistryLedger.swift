/// The registry's record key for a command addressed to every entity at once (allocate or assess
/// a whole year). Not a valid entity id, so it can never collide with one. A scaled-out registry
/// that owns only some partitions must broadcast such a command to every instance.
public enum RegistryKey {
    public static let allEntities = "*"
}

/// One year's output of a generating unit, the input of allocation by the benchmark method.
public struct RecordUnitOutput: EventPayload {
    public static let eventType: EventType = "RecordUnitOutput"
    public var entityId: String
    public var unitId: String
    public var year: Int
    /// Electricity supplied, in MWh.
    public var electricityMWh: Int64
    /// Heat supplied, in GJ.
    public var heatGJ: Int64
    /// Load rate F of the unit, a fraction in 0...1.
    public var loadRate: Double
    /// Heat supplied as a fraction of the unit's output, in 0...1.
    public var heatSupplyRatio: Double

    public init(entityId: String, unitId: String, year: Int, electricityMWh: Int64, heatGJ: Int64,
                loadRate: Double, heatSupplyRatio: Double) {
        self.entityId = entityId; self.unitId = unitId; self.year = year; self.electricityMWh = electricityMWh
        self.heatGJ = heatGJ; self.loadRate = loadRate; self.heatSupplyRatio = heatSupplyRatio
    }

    public var partitionKey: String { entityId }

    public func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try Check.identifier(unitId, "unitId")
        try Check.year(year)
        try Check.tally(electricityMWh, "electricityMWh", max: Check.maxQuantity)
        try Check.tally(heatGJ, "heatGJ", max: Check.maxQuantity)
        try Check.finite(loadRate, in: 0...1, "loadRate")
        try Check.finite(heatSupplyRatio, in: 0...1, "heatSupplyRatio")
    }
}

/// Runs allocation for a year: `pre` (70% of the reference output) or `final` (the true-up).
public struct AllocateAllowances: EventPayload {
    public static let eventType: EventType = "AllocateAllowances"
    public var year: Int
    public var phase: AllocationPhase
    /// Added: allocate to this entity only (a late registration, a corrected output); nil = all.
    public var entityId: String?

    public init(year: Int, phase: AllocationPhase, entityId: String? = nil) {
        self.year = year; self.phase = phase; self.entityId = entityId
    }

    public var partitionKey: String { entityId ?? RegistryKey.allEntities }

    public func validate() throws(ContractError) {
        try Check.year(year)
        if let entityId { try Check.identifier(entityId, "entityId") }
    }
}

/// How one unit's allocation was computed, with every factor as exact decimal text so that
/// anyone can redo the arithmetic:
/// `electricityBenchmark x electricityMWh x coolingFactor x heatSupplyFactor x loadFactor + heatBenchmark x heatGJ`.
public struct UnitAllocation: Codable, Sendable, Equatable {
    public var unitId: String
    /// Tonnes allocated to the unit (whole tonnes; see `AllowancesAllocated.quantity` for rounding).
    public var quantity: Int64
    /// tCO2/MWh, e.g. "0.877".
    public var electricityBenchmark: String
    /// tCO2/GJ, e.g. "0.126".
    public var heatBenchmark: String
    public var coolingFactor: String
    public var heatSupplyFactor: String
    public var loadFactor: String
    /// Added: the output the formula was applied to (for `pre`, already scaled to the reference share).
    public var electricityMWh: Int64?
    public var heatGJ: Int64?

    public init(unitId: String, quantity: Int64, electricityBenchmark: String, heatBenchmark: String,
                coolingFactor: String, heatSupplyFactor: String, loadFactor: String,
                electricityMWh: Int64? = nil, heatGJ: Int64? = nil) {
        self.unitId = unitId; self.quantity = quantity; self.electricityBenchmark = electricityBenchmark
        self.heatBenchmark = heatBenchmark; self.coolingFactor = coolingFactor
        self.heatSupplyFactor = heatSupplyFactor; self.loadFactor = loadFactor
        self.electricityMWh = electricityMWh; self.heatGJ = heatGJ
    }

    func validate(_ field: String) throws(ContractError) {
        try Check.identifier(unitId, "\(field).unitId")
        try Check.tally(quantity, "\(field).quantity", max: Check.maxQuantity)
        try Check.decimal(electricityBenchmark, "\(field).electricityBenchmark")
        try Check.decimal(heatBenchmark, "\(field).heatBenchmark")
        try Check.decimal(coolingFactor, "\(field).coolingFactor")
        try Check.decimal(heatSupplyFactor, "\(field).heatSupplyFactor")
        try Check.decimal(loadFactor, "\(field).loadFactor")
        if let electricityMWh { try Check.tally(electricityMWh, "\(field).electricityMWh", max: Check.maxQuantity) }
        if let heatGJ { try Check.tally(heatGJ, "\(field).heatGJ", max: Check.maxQuantity) }
    }
}

/// Allowances allocated to an entity for a year and phase, with the per-unit breakdown.
///
/// `quantity` is the entity's allocation of this phase (the sum over its units, rounded to whole
/// tonnes, so it may differ by rounding from the sum of the units' rounded quantities). For
/// `final` it is the whole year's allocation; the true-up is `quantity` minus the `pre` one.
public struct AllowancesAllocated: EventPayload {
    public static let eventType: EventType = "AllowancesAllocated"
    public var entityId: String
    public var year: Int
    public var phase: AllocationPhase
    public var quantity: Int64
    public var units: [UnitAllocation]
    /// Added: the rule set (benchmarks, factors) the allocation used, e.g. "power-2019-2020".
    public var rulesVersion: String?
    /// Added: how this event changes the entity's holding: `quantity` for `pre`; for `final`
    /// `quantity` minus the pre-allocation, negative when the true-up claws allowances back.
    public var holdingChange: Int64?

    public init(entityId: String, year: Int, phase: AllocationPhase, quantity: Int64, units: [UnitAllocation],
                rulesVersion: String? = nil, holdingChange: Int64? = nil) {
        self.entityId = entityId; self.year = year; self.phase = phase; self.quantity = quantity
        self.units = units; self.rulesVersion = rulesVersion; self.holdingChange = holdingChange
    }

    public var partitionKey: String { entityId }

    public func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try Check.year(year)
        try Check.tally(quantity, "quantity", max: Check.maxQuantity)
        try Check.count(units, "units", min: 1, max: 64)
        for (index, unit) in units.enumerated() { try unit.validate("units[\(index)]") }
        try Check.optional(rulesVersion, "rulesVersion", max: 64)
        if let holdingChange {
            try Check.range(holdingChange, -Check.maxQuantity...Check.maxQuantity, "holdingChange")
        }
    }
}

/// An entity's verified emissions of a year (from the third-party verifier), in tonnes.
public struct SubmitVerifiedEmissions: EventPayload {
    public static let eventType: EventType = "SubmitVerifiedEmissions"
    public var entityId: String
    public var year: Int
    /// Zero is allowed: a plant that did not run emitted nothing.
    public var tonnes: Int64

    public init(entityId: String, year: Int, tonnes: Int64) {
        self.entityId = entityId; self.year = year; self.tonnes = tonnes
    }

    public var partitionKey: String { entityId }

    public func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try Check.year(year)
        try Check.tally(tonnes, "tonnes", max: Check.maxQuantity)
    }
}

/// The registry recorded an entity's verified emissions: the obligation of that year.
public struct EmissionsVerified: EventPayload {
    public static let eventType: EventType = "EmissionsVerified"
    public var entityId: String
    public var year: Int
    public var tonnes: Int64

    public init(entityId: String, year: Int, tonnes: Int64) {
        self.entityId = entityId; self.year = year; self.tonnes = tonnes
    }

    public var partitionKey: String { entityId }

    public func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try Check.year(year)
        try Check.tally(tonnes, "tonnes", max: Check.maxQuantity)
    }
}

/// Only allowances (CEA) and certified offsets (CCER) can be surrendered for compliance.
private func checkSurrenderable(_ instrument: Instrument) throws(ContractError) {
    try instrument.validate()
    if instrument != .cea && instrument != .ccer {
        throw .invalid("instrument '\(instrument)' cannot be surrendered; expected one of: CEA, CCER")
    }
}

/// Surrenders allowances or offsets against a year's obligation.
public struct SurrenderAllowances: EventPayload {
    public static let eventType: EventType = "SurrenderAllowances"
    public var entityId: String
    public var year: Int
    public var instrument: Instrument
    public var quantity: Int64

    public init(entityId: String, year: Int, instrument: Instrument, quantity: Int64) {
        self.entityId = entityId; self.year = year; self.instrument = instrument; self.quantity = quantity
    }

    public var partitionKey: String { entityId }

    public func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try Check.year(year)
        try checkSurrenderable(instrument)
        try Check.quantity(quantity)
    }
}

/// Allowances or offsets were surrendered (and left the entity's holding).
public struct AllowancesSurrendered: EventPayload {
    public static let eventType: EventType = "AllowancesSurrendered"
    public var entityId: String
    public var year: Int
    public var instrument: Instrument
    public var quantity: Int64

    public init(entityId: String, year: Int, instrument: Instrument, quantity: Int64) {
        self.entityId = entityId; self.year = year; self.instrument = instrument; self.quantity = quantity
    }

    public var partitionKey: String { entityId }

    public func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try Check.year(year)
        try checkSurrenderable(instrument)
        try Check.quantity(quantity)
    }
}

/// Assesses compliance for a year (after the surrender deadline, or to refresh `pending`).
public struct AssessCompliance: EventPayload {
    public static let eventType: EventType = "AssessCompliance"
    public var year: Int
    /// Added: assess this entity only; nil = every entity.
    public var entityId: String?

    public init(year: Int, entityId: String? = nil) {
        self.year = year; self.entityId = entityId
    }

    public var partitionKey: String { entityId ?? RegistryKey.allEntities }

    public func validate() throws(ContractError) {
        try Check.year(year)
        if let entityId { try Check.identifier(entityId, "entityId") }
    }
}

/// An entity's compliance position for a year, all in tonnes.
public struct ComplianceAssessed: EventPayload {
    public static let eventType: EventType = "ComplianceAssessed"
    public var entityId: String
    public var year: Int
    public var verified: Int64
    public var allocated: Int64
    public var surrendered: Int64
    public var obligation: Int64
    public var shortfall: Int64
    public var status: ComplianceStatus

    public init(entityId: String, year: Int, verified: Int64, allocated: Int64, surrendered: Int64,
                obligation: Int64, shortfall: Int64, status: ComplianceStatus) {
        self.entityId = entityId; self.year = year; self.verified = verified; self.allocated = allocated
        self.surrendered = surrendered; self.obligation = obligation; self.shortfall = shortfall; self.status = status
    }

    public var partitionKey: String { entityId }

    public func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try Check.year(year)
        try Check.tally(verified, "verified", max: Check.maxQuantity)
        try Check.tally(allocated, "allocated", max: Check.maxQuantity)
        try Check.tally(surrendered, "surrendered", max: Check.maxQuantity)
        try Check.tally(obligation, "obligation", max: Check.maxQuantity)
        try Check.tally(shortfall, "shortfall", max: Check.maxQuantity)
        if status == .compliant && shortfall != 0 {
            throw .invalid("status compliant needs shortfall 0, got shortfall \(shortfall)")
        }
        if status == .shortfall && shortfall == 0 {
            throw .invalid("status shortfall needs a positive shortfall, got 0")
        }
    }
}
