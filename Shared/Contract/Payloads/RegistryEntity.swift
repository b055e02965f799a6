/// A generating unit of an emitting entity (allocation is computed per unit).
public struct GeneratingUnitSpec: Codable, Sendable, Equatable {
    public var unitId: String
    public var category: UnitCategory
    public var capacityMW: Int64
    public var cooling: Cooling

    public init(unitId: String, category: UnitCategory, capacityMW: Int64, cooling: Cooling) {
        self.unitId = unitId; self.category = category; self.capacityMW = capacityMW; self.cooling = cooling
    }

    func validate(_ field: String) throws(ContractError) {
        try Check.identifier(unitId, "\(field).unitId")
        try Check.range(capacityMW, 1...10_000, "\(field).capacityMW")
    }
}

/// The registry record of an emitting unit or market participant, shared by both halves of the
/// system: the ETS uses its units, the air-alert service its district, VOCs and green flags.
public struct EntityProfile: Codable, Sendable, Equatable {
    public var entityId: String
    public var name: String
    public var creditCode: String
    public var sector: Sector
    public var district: String
    public var nationalETS: Bool
    public var pilotMarket: String?
    public var vocEmitter: Bool
    public var greenBenchmark: Bool
    public var units: [GeneratingUnitSpec]

    public init(entityId: String, name: String, creditCode: String, sector: Sector, district: String,
                nationalETS: Bool, pilotMarket: String? = nil, vocEmitter: Bool, greenBenchmark: Bool,
                units: [GeneratingUnitSpec]) {
        self.entityId = entityId; self.name = name; self.creditCode = creditCode; self.sector = sector
        self.district = district; self.nationalETS = nationalETS; self.pilotMarket = pilotMarket
        self.vocEmitter = vocEmitter; self.greenBenchmark = greenBenchmark; self.units = units
    }

    func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try Check.nonEmpty(name, "name", max: 200)
        try Check.nonEmpty(creditCode, "creditCode", max: 18)
        try Check.nonEmpty(district, "district", max: 64)
        try Check.optional(pilotMarket, "pilotMarket", max: 32)
        try Check.count(units, "units", max: 64)
        for (index, unit) in units.enumerated() { try unit.validate("units[\(index)]") }
    }
}

/// Registers an emitting entity or market participant.
public struct RegisterEntity: EventPayload {
    public static let eventType: EventType = "RegisterEntity"
    public var profile: EntityProfile
    public init(_ profile: EntityProfile) { self.profile = profile }
    public var partitionKey: String { profile.entityId }
    public func validate() throws(ContractError) { try profile.validate() }
    public init(from decoder: any Decoder) throws { profile = try EntityProfile(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try profile.encode(to: encoder) }
}

/// An entity was registered: the same fields as the command.
public struct EntityRegistered: EventPayload {
    public static let eventType: EventType = "EntityRegistered"
    public var profile: EntityProfile
    public init(_ profile: EntityProfile) { self.profile = profile }
    public var partitionKey: String { profile.entityId }
    public func validate() throws(ContractError) { try profile.validate() }
    public init(from decoder: any Decoder) throws { profile = try EntityProfile(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try profile.encode(to: encoder) }
}
