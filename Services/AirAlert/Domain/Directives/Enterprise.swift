/// The registry's sector enumeration (contract: `sector`).
public enum Sector: String, Sendable, Codable, CaseIterable {
    case power, chemicals, furniture, printing, construction, investor, other
}

/// What the air-alert service needs to know about an enterprise, projected from the registry's
/// `EntityRegistered` events.
public struct Enterprise: Sendable, Equatable, Codable {
    public let entityId: String
    public let district: String
    public let sector: Sector
    /// Emits volatile organic compounds, an ozone precursor: the main target of measures.
    public let vocEmitter: Bool
    /// A green-benchmark enterprise or site: exempt from yellow measures, lighter ones above.
    public let greenBenchmark: Bool

    public init(entityId: String, district: String, sector: Sector, vocEmitter: Bool, greenBenchmark: Bool) {
        self.entityId = entityId
        self.district = district
        self.sector = sector
        self.vocEmitter = vocEmitter
        self.greenBenchmark = greenBenchmark
    }
}
