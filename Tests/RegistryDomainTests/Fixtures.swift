import RegistryDomain

/// Small builders shared by the tests, so each test states only what it is about.
enum Fixtures {
    /// A valid credit code built from a 17-character prefix with the module's own helper.
    static func creditCode(_ prefix: String = "91110000MA0000001") -> String {
        CreditCode.completing(prefix) ?? "invalid prefix \(prefix)"
    }

    static func unit(_ id: String = "U1", _ category: UnitCategory = .coalAbove300MW,
                     capacityMW: Int = 600, cooling: Cooling = .water) -> GeneratingUnit {
        GeneratingUnit(unitId: id, category: category, capacityMW: capacityMW, cooling: cooling)
    }

    static func powerEntity(_ id: String = "E1", units: [GeneratingUnit] = [unit()],
                            nationalETS: Bool = true, pilotMarket: String? = nil) -> Entity {
        Entity(entityId: id, name: "Huaneng Plant \(id)", creditCode: creditCode(), sector: .power,
               district: "chenghua", nationalETS: nationalETS, pilotMarket: pilotMarket, units: units)
    }
}
