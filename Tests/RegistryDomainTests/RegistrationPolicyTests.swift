import Testing
import RegistryDomain

@Suite struct RegistrationPolicyTests {
    let policy = RegistrationPolicy()

    private func codes(_ entity: Entity) -> [String] { policy.refusals(for: entity).map(\.code) }

    @Test func acceptsAWellFormedPowerEntity() {
        #expect(policy.refusals(for: Fixtures.powerEntity()).isEmpty)
    }

    @Test func refusesANationalEntityActiveInAPilotMarket() {
        let entity = Fixtures.powerEntity(pilotMarket: "Shanghai")
        #expect(codes(entity) == ["national-and-pilot-market"])
        #expect(throws: RegistryRefusal.self) { try policy.validate(entity) }
    }

    @Test(arguments: ["beijing", "TIANJIN", "Shanghai", "chongqing", "guangdong", "hubei", " shenzhen "])
    func matchesEveryDefaultPilotCaseInsensitively(_ pilot: String) {
        #expect(codes(Fixtures.powerEntity(pilotMarket: pilot)) == ["national-and-pilot-market"])
    }

    @Test func allowsAPilotOnlyEntityOutsideTheNationalETS() {
        #expect(codes(Fixtures.powerEntity(nationalETS: false, pilotMarket: "hubei")).isEmpty)
    }

    @Test func refusesAnUnknownPilotMarketEvenOutsideTheNationalETS() {
        #expect(codes(Fixtures.powerEntity(nationalETS: false, pilotMarket: "fujian")) == ["unknown-pilot-market"])
    }

    @Test func pilotListIsConfigurable() {
        let withFujian = RegistrationPolicy(pilotMarkets: RegistrationPolicy.defaultPilotMarkets.union(["Fujian"]))
        #expect(withFujian.refusals(for: Fixtures.powerEntity(nationalETS: false, pilotMarket: "fujian")).isEmpty)
    }

    @Test func blankPilotMarketMeansNone() {
        #expect(codes(Fixtures.powerEntity(pilotMarket: "  ")).isEmpty)
    }

    @Test(arguments: ["", "has space", "ünicode", String(repeating: "x", count: 65)])
    func refusesMalformedEntityIDs(_ id: String) {
        #expect(codes(Fixtures.powerEntity(id)) == ["invalid-entity-id"])
    }

    @Test func acceptsEntityIDsWithPunctuationAndMaximalLength() {
        #expect(codes(Fixtures.powerEntity("a.B_c:9-" + String(repeating: "x", count: 56))).isEmpty)
    }

    @Test func refusesAnEmptyOrOverlongName() {
        var entity = Fixtures.powerEntity()
        entity.name = " "
        #expect(codes(entity) == ["invalid-name"])
        entity.name = String(repeating: "厂", count: 201)
        #expect(codes(entity) == ["invalid-name"])
        entity.name = String(repeating: "厂", count: 200)
        #expect(codes(entity).isEmpty)
    }

    @Test func refusesAnEmptyDistrict() {
        var entity = Fixtures.powerEntity()
        entity.district = ""
        #expect(codes(entity) == ["invalid-district"])
    }

    @Test func refusesAnInvalidCreditCodeWithTheProblemAsReason() {
        var entity = Fixtures.powerEntity()
        entity.creditCode = "91350100M000100Y44"
        #expect(policy.refusals(for: entity) == [RegistryRefusal(
            code: "invalid-credit-code", reason: "credit code check character is 4, expected 3")])
    }

    @Test func refusesDuplicateUnitIDs() {
        #expect(codes(Fixtures.powerEntity(units: [Fixtures.unit("U1"), Fixtures.unit("U1")])) == ["duplicate-unit"])
    }

    @Test(arguments: [0, -300])
    func refusesNonPositiveCapacity(_ capacity: Int) {
        #expect(codes(Fixtures.powerEntity(units: [Fixtures.unit(capacityMW: capacity)])) == ["invalid-unit"])
    }

    @Test func refusesANationalPowerEntityWithoutUnits() {
        #expect(codes(Fixtures.powerEntity(units: [])) == ["missing-units"])
    }

    @Test func allowsAnInvestorWithoutUnits() {
        let investor = Entity(entityId: "INV1", name: "Carbon Fund", creditCode: Fixtures.creditCode(),
                              sector: .investor, district: "jinjiang", nationalETS: true)
        #expect(codes(investor).isEmpty)
    }

    @Test func listsEveryProblemInFieldOrder() {
        var entity = Fixtures.powerEntity("", units: [], pilotMarket: "beijing")
        entity.district = ""
        #expect(codes(entity) == ["invalid-entity-id", "invalid-district", "national-and-pilot-market", "missing-units"])
    }

    @Test func gasFiredMeansEveryUnitIsGas() {
        #expect(Fixtures.powerEntity(units: [Fixtures.unit("G1", .gas), Fixtures.unit("G2", .gas)]).isGasFired)
        #expect(!Fixtures.powerEntity(units: [Fixtures.unit("G1", .gas), Fixtures.unit("C1")]).isGasFired)
        #expect(!Fixtures.powerEntity(units: []).isGasFired)
    }

    @Test func contractEnumerationsHaveTheContractSpelling() {
        #expect(UnitCategory.allCases.map(\.rawValue) == ["coal-above-300mw", "coal-300mw-or-below", "coal-unconventional", "gas"])
        #expect(Sector.allCases.map(\.rawValue) == ["power", "chemicals", "furniture", "printing", "construction", "investor", "other"])
        #expect(Cooling.allCases.map(\.rawValue) == ["water", "air"])
    }
}
