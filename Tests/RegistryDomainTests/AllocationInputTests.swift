import Foundation
import Testing
import RegistryDomain

/// Refusals of unusable outputs and of output sets that do not match the entity's units.
@Suite struct AllocationInputTests {
    let calculator = AllocationCalculator()
    let entity = Fixtures.powerEntity(units: [Fixtures.unit("U1"), Fixtures.unit("U2")])

    private func output(_ id: String = "U1", mwh: Decimal = 1000, load: Decimal = 1, ratio: Decimal = 0) -> UnitOutput {
        UnitOutput(unitId: id, electricityMWh: mwh, loadRate: load, heatSupplyRatio: ratio)
    }

    private func code(_ outputs: [UnitOutput]) -> String? {
        do {
            _ = try calculator.finalAllocation(entity: entity, outputs: outputs)
            return nil
        } catch {
            return error.code
        }
    }

    @Test(arguments: [
        UnitOutput(unitId: "U1", electricityMWh: -1, loadRate: 1),
        UnitOutput(unitId: "U1", electricityMWh: .nan, loadRate: 1),
        UnitOutput(unitId: "U1", electricityMWh: 1, heatGJ: -5, loadRate: 1),
        UnitOutput(unitId: "U1", electricityMWh: 1, loadRate: Decimal(string: "1.01") ?? 0),
        UnitOutput(unitId: "U1", electricityMWh: 1, loadRate: -1),
        UnitOutput(unitId: "U1", electricityMWh: 1, loadRate: 1, heatSupplyRatio: 2),
        UnitOutput(unitId: "U1", electricityMWh: Decimal(string: "1.0001") ?? 0, loadRate: 1),
        UnitOutput(unitId: "U1", electricityMWh: 1, loadRate: Decimal(string: "0.84001") ?? 0),
        UnitOutput(unitId: "U1", electricityMWh: Decimal(string: "1e13") ?? 0, loadRate: 1),
    ])
    func refusesUnusableFigures(_ bad: UnitOutput) {
        #expect(code([bad, output("U2")]) == "invalid-unit-output")
    }

    @Test func acceptsBoundaryFigures() {
        #expect(code([output(mwh: 0, load: 0, ratio: 1), output("U2", mwh: UnitOutput.maxQuantity)]) == nil)
    }

    @Test func refusesOutputForAnUnknownUnit() {
        #expect(code([output(), output("U2"), output("U9")]) == "unknown-unit")
    }

    @Test func refusesTwoOutputsForOneUnit() {
        #expect(code([output(), output(), output("U2")]) == "duplicate-unit-output")
    }

    @Test func refusesWhenARegisteredUnitHasNoOutput() {
        #expect(code([output()]) == "missing-unit-output")
    }

    @Test func anEntityWithoutUnitsIsAllocatedNothing() throws {
        let investor = Entity(entityId: "I1", name: "Fund", creditCode: Fixtures.creditCode(), sector: .investor,
                              district: "d", nationalETS: true)
        #expect(try calculator.finalAllocation(entity: investor, outputs: []).quantity == 0)
    }

    @Test func decodesJSONNumbersExactly() throws {
        let json = #"{"unitId":"U1","electricityMWh":123456.789,"heatGJ":0.1,"loadRate":0.8234,"heatSupplyRatio":0}"#
        let decoded = try JSONDecoder().decode(UnitOutput.self, from: Data(json.utf8))
        #expect(decoded.electricityMWh == Decimal(string: "123456.789"))
        #expect(decoded.heatGJ == Decimal(string: "0.1"))
        #expect(decoded.problem == nil)
    }
}
