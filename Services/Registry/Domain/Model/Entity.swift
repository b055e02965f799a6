/// A registered enterprise or market participant: the `RegisterEntity` payload.
///
/// One record serves both halves of the system: the carbon registry (national ETS, units) and
/// the ozone warning service (district, VOCs emitter, green benchmark). Field names match the
/// contract so the service can decode the command straight into this type. The credit code is
/// kept as the text received; `RegistrationPolicy` validates it, so a bad code becomes a
/// `CommandRejected` with a reason rather than an undecodable record.
public struct Entity: Codable, Sendable, Hashable {
    public var entityId: String
    public var name: String
    /// Unified social credit code (GB 32100-2015); see `CreditCode`.
    public var creditCode: String
    public var sector: Sector
    public var district: String
    /// Whether the entity is covered by the national emissions trading scheme.
    public var nationalETS: Bool
    /// The local pilot market the entity is active in, if any (e.g. "shanghai").
    public var pilotMarket: String?
    /// Emits volatile organic compounds: a main target of ozone control directives.
    public var vocEmitter: Bool
    /// Green-benchmark enterprises get lighter or no ozone control measures.
    public var greenBenchmark: Bool
    public var units: [GeneratingUnit]

    public init(
        entityId: String, name: String, creditCode: String, sector: Sector, district: String,
        nationalETS: Bool, pilotMarket: String? = nil, vocEmitter: Bool = false,
        greenBenchmark: Bool = false, units: [GeneratingUnit] = []
    ) {
        self.entityId = entityId
        self.name = name
        self.creditCode = creditCode
        self.sector = sector
        self.district = district
        self.nationalETS = nationalETS
        self.pilotMarket = pilotMarket
        self.vocEmitter = vocEmitter
        self.greenBenchmark = greenBenchmark
        self.units = units
    }

    /// Gas-fired for compliance purposes: at least one unit and every unit burns gas.
    ///
    /// Such an entity need surrender at most its free allocation; an entity without units
    /// (or with any coal unit) falls under the general shortfall cap.
    public var isGasFired: Bool {
        !units.isEmpty && units.allSatisfy { $0.category == .gas }
    }
}
