/// The rules a `RegisterEntity` command must pass before the registry records the entity.
///
/// A value, so the service can load it from configuration (the list of pilot markets changes
/// when the authority opens or closes one) and tests can vary it. It never throws half-way:
/// `refusals(for:)` lists every problem, `validate(_:)` throws the first for a
/// `CommandRejected`.
public struct RegistrationPolicy: Codable, Sendable, Hashable {
    /// The seven local pilot markets that predate the national ETS.
    public static let defaultPilotMarkets: Set<String> = [
        "beijing", "tianjin", "shanghai", "chongqing", "guangdong", "hubei", "shenzhen",
    ]

    /// Known pilot markets, lower-cased; an entity naming any other is refused, because an
    /// unknown name is more likely a typo than a new market and would dodge the double-market rule.
    public private(set) var pilotMarkets: Set<String>
    /// Also apply the GB 11714 organization-code check inside the credit code (off by default;
    /// see `CreditCode`).
    public var checksOrganizationCode: Bool

    /// Longest entity or unit id: ids become Kafka keys and SQLite keys.
    public static let maxIdLength = 64
    /// Longest entity name, in characters.
    public static let maxNameLength = 200

    public init(pilotMarkets: some Sequence<String> = defaultPilotMarkets, checksOrganizationCode: Bool = false) {
        self.pilotMarkets = Set(pilotMarkets.map { $0.lowercased() })
        self.checksOrganizationCode = checksOrganizationCode
    }

    /// The canonical (lower-case) pilot market for `name`, matched case-insensitively and
    /// ignoring surrounding spaces; `nil` if it is not a known pilot.
    public func pilotMarket(named name: String) -> String? {
        let key = trimmed(name).lowercased()
        return pilotMarkets.contains(key) ? key : nil
    }

    /// Throws the first refusal for `entity`, if any.
    /// - Throws: `RegistryRefusal`; see `refusals(for:)` for the codes.
    public func validate(_ entity: Entity) throws(RegistryRefusal) {
        if let first = refusals(for: entity).first { throw first }
    }

    /// Every reason to refuse registering `entity`, in field order; empty when it may register.
    ///
    /// An empty or blank `pilotMarket` is read as "none": JSON producers often send `""`.
    public func refusals(for entity: Entity) -> [RegistryRefusal] {
        var refusals: [RegistryRefusal] = []
        if let problem = Self.idProblem(entity.entityId, what: "entity id") {
            refusals.append(RegistryRefusal(code: RefusalCode.invalidEntityID, reason: problem))
        }
        refusals += nameAndDistrictRefusals(entity)
        if let problem = CreditCode.validate(entity.creditCode, checkingOrganizationCode: checksOrganizationCode) {
            refusals.append(problem.refusal)
        }
        refusals += pilotRefusals(entity)
        refusals += unitRefusals(entity)
        return refusals
    }

    private func nameAndDistrictRefusals(_ entity: Entity) -> [RegistryRefusal] {
        var refusals: [RegistryRefusal] = []
        if trimmed(entity.name).isEmpty {
            refusals.append(RegistryRefusal(code: RefusalCode.invalidName, reason: "entity name must not be empty"))
        } else if entity.name.count > Self.maxNameLength {
            refusals.append(RegistryRefusal(code: RefusalCode.invalidName, reason:
                "entity name must be at most \(Self.maxNameLength) characters, got \(entity.name.count)"))
        }
        if trimmed(entity.district).isEmpty {
            refusals.append(RegistryRefusal(code: RefusalCode.invalidDistrict, reason: "district must not be empty"))
        }
        return refusals
    }

    private func pilotRefusals(_ entity: Entity) -> [RegistryRefusal] {
        guard let named = entity.pilotMarket, !trimmed(named).isEmpty else { return [] }
        guard let pilot = pilotMarket(named: named) else {
            let known = pilotMarkets.sorted().joined(separator: ", ")
            return [RegistryRefusal(code: RefusalCode.unknownPilotMarket,
                                    reason: "pilot market '\(named)' is not one of the known pilots (\(known))")]
        }
        guard entity.nationalETS else { return [] }
        return [RegistryRefusal(code: RefusalCode.nationalAndPilot, reason: """
            entity \(entity.entityId) is in the national ETS and also active in the \(pilot) pilot market; \
            an entity may not be registered in both
            """)]
    }

    private func unitRefusals(_ entity: Entity) -> [RegistryRefusal] {
        var refusals: [RegistryRefusal] = []
        var seen: Set<String> = []
        for unit in entity.units {
            if let problem = Self.idProblem(unit.unitId, what: "unit id") {
                refusals.append(RegistryRefusal(code: RefusalCode.invalidUnit, reason: problem))
            } else if !seen.insert(unit.unitId).inserted {
                refusals.append(RegistryRefusal(code: RefusalCode.duplicateUnit,
                                                reason: "unit id \(unit.unitId) appears more than once"))
            }
            if unit.capacityMW <= 0 {
                refusals.append(RegistryRefusal(code: RefusalCode.invalidUnit,
                                                reason: "unit \(unit.unitId) capacity must be positive, got \(unit.capacityMW) MW"))
            }
        }
        if entity.sector == .power, entity.nationalETS, entity.units.isEmpty {
            refusals.append(RegistryRefusal(code: RefusalCode.missingUnits, reason:
                "a power-sector entity in the national ETS must list at least one generating unit"))
        }
        return refusals
    }

    /// Why `id` is not an acceptable identifier (1-64 of `A-Z a-z 0-9 . _ : -`), or `nil`.
    public static func idProblem(_ id: String, what: String) -> String? {
        if id.isEmpty { return "\(what) must not be empty" }
        if id.count > maxIdLength { return "\(what) must be at most \(maxIdLength) characters, got \(id.count)" }
        if let bad = id.first(where: { !isIdCharacter($0) }) {
            return "\(what) '\(id)' contains '\(bad)'; allowed are A-Z a-z 0-9 . _ : -"
        }
        return nil
    }

    private static func isIdCharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: ":"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private func trimmed(_ text: String) -> Substring {
        let start = text.drop { $0.isWhitespace }
        return start.dropLast(start.reversed().prefix { $0.isWhitespace }.count)
    }
}
