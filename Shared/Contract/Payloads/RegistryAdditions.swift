/// The registry's additions to the contract (DESIGN.md section 4 allows added events and
/// fields, never renames): the acknowledgement of a recorded unit output, and the issuance of
/// certified offsets (CCER) by the authority, the only way CCER enter the holdings ledger.

/// The registry stored a unit's output for a year: the acknowledgement `RecordUnitOutput`
/// lacked, so a sender can tell a stored figure from one still in flight without polling the
/// admin port. It carries the figures as stored.
///
/// `revision` is 1 for the first record of that unit and year and grows by one with each
/// replacement (a corrected figure), so a reader can tell which figure is current.
public struct UnitOutputRecorded: EventPayload {
    public static let eventType: EventType = "UnitOutputRecorded"
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
    /// 1 for the first record of (entity, unit, year), +1 per replacement.
    public var revision: Int

    /// Largest revision a record carries: far beyond any real correction history, and a bound
    /// so that a reader never has to handle an absurd one.
    public static let maxRevision = 1_000_000

    public init(entityId: String, unitId: String, year: Int, electricityMWh: Int64, heatGJ: Int64,
                loadRate: Double, heatSupplyRatio: Double, revision: Int) {
        self.entityId = entityId; self.unitId = unitId; self.year = year; self.electricityMWh = electricityMWh
        self.heatGJ = heatGJ; self.loadRate = loadRate; self.heatSupplyRatio = heatSupplyRatio; self.revision = revision
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
        try Check.range(revision, 1...Self.maxRevision, "revision")
    }
}

/// Only certified offsets (CCER) are issued by `IssueOffsets`: allowances (CEA) are issued by
/// allocation alone, and no other offset instrument has a compliance rule yet. Accepting more
/// later is a compatible change; accepting too much now and narrowing later would not be.
private func checkOffsetInstrument(_ instrument: Instrument) throws(ContractError) {
    try instrument.validate()
    if instrument == .cea {
        throw .invalid("allowances (CEA) are issued by AllocateAllowances, not IssueOffsets")
    }
    if instrument != .ccer {
        throw .invalid("instrument '\(instrument)' cannot be issued as offsets; expected CCER")
    }
}

/// The authority issues certified offsets (CCER) into an entity's holding, e.g. for a
/// certified project's reductions. Any registered entity may receive them (project owners and
/// investors too); they count toward compliance only within the offset cap (5% of verified
/// emissions, checked at surrender).
///
/// `reference` is the issuance id and makes the command idempotent in business terms: the
/// same reference for the same entity issues once, and a second command carrying it is
/// refused (`duplicate-reference`) and changes nothing.
public struct IssueOffsets: EventPayload {
    public static let eventType: EventType = "IssueOffsets"
    public var entityId: String
    /// CCER (the only offset instrument for now).
    public var instrument: Instrument
    /// Tonnes of CO2 issued.
    public var quantity: Int64
    /// The issuance id, e.g. `CCER-2021-0001`.
    public var reference: String

    public init(entityId: String, instrument: Instrument = .ccer, quantity: Int64, reference: String) {
        self.entityId = entityId; self.instrument = instrument; self.quantity = quantity; self.reference = reference
    }

    public var partitionKey: String { entityId }

    public func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try checkOffsetInstrument(instrument)
        try Check.quantity(quantity)
        try Check.identifier(reference, "reference")
    }
}

/// Offsets were issued into an entity's holding (the same fields as the command).
public struct OffsetsIssued: EventPayload {
    public static let eventType: EventType = "OffsetsIssued"
    public var entityId: String
    public var instrument: Instrument
    public var quantity: Int64
    public var reference: String

    public init(entityId: String, instrument: Instrument, quantity: Int64, reference: String) {
        self.entityId = entityId; self.instrument = instrument; self.quantity = quantity; self.reference = reference
    }

    public var partitionKey: String { entityId }

    /// The same checks as the command it reports.
    public func validate() throws(ContractError) {
        try IssueOffsets(entityId: entityId, instrument: instrument, quantity: quantity, reference: reference).validate()
    }
}
