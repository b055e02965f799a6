import Foundation
import Testing
import RegistryDomain

/// Hand-worked examples of the benchmark formula under the shipped 2019-2020 rules.
@Suite struct AllocationCalculatorTests {
    let calculator = AllocationCalculator()

    private func dec(_ text: String) -> Decimal { Decimal(string: text) ?? .nan }

    /// One unit, final phase; returns (tonnes, audit trail).
    private func allocate(_ category: UnitCategory = .coalAbove300MW, cooling: Cooling = .water,
                          mwh: String = "1000000", gj: String = "0", load: String = "0.9",
                          ratio: String = "0") throws -> (Int, UnitAllocation?) {
        let entity = Fixtures.powerEntity(units: [Fixtures.unit("U1", category, cooling: cooling)])
        let output = UnitOutput(unitId: "U1", electricityMWh: dec(mwh), heatGJ: dec(gj),
                                loadRate: dec(load), heatSupplyRatio: dec(ratio))
        let allocation = try calculator.finalAllocation(entity: entity, outputs: [output])
        return (allocation.quantity, allocation.units.first)
    }

    @Test func coalAbove300MWUsesBenchmark0877() throws {
        #expect(try allocate(.coalAbove300MW).0 == 877_000)
    }

    @Test func coal300MWOrBelowUsesBenchmark0979() throws {
        #expect(try allocate(.coal300MWOrBelow, mwh: "500000").0 == 489_500)
    }

    @Test func unconventionalCoalUsesBenchmark1146() throws {
        #expect(try allocate(.coalUnconventional, mwh: "200000").0 == 229_200)
    }

    @Test func gasUsesBenchmarks0392And0059() throws {
        // 0.392 x 300,000 + 0.059 x 100,000 = 117,600 + 5,900
        #expect(try allocate(.gas, mwh: "300000", gj: "100000").0 == 123_500)
    }

    @Test func heatIsAllocatedAtTheHeatBenchmarkWithoutCorrections() throws {
        // Coal heat benchmark 0.126 x 2,000,000 GJ, air cooling must not touch it.
        #expect(try allocate(cooling: .air, mwh: "0", gj: "2000000").0 == 252_000)
    }

    @Test func airCoolingRaisesElectricityAllowanceBy5Percent() throws {
        let (tonnes, unit) = try allocate(cooling: .air)
        #expect(tonnes == 920_850)
        #expect(unit?.coolingFactor == dec("1.05"))
    }

    @Test func coalHeatSupplyFactorIsOneMinus022TimesRatio() throws {
        // factor 1 - 0.22 x 0.25 = 0.945; 877,000 x 0.945 + 0.126 x 2,000,000 = 828,765 + 252,000
        let (tonnes, unit) = try allocate(gj: "2000000", ratio: "0.25")
        #expect(tonnes == 1_080_765)
        #expect(unit?.heatSupplyFactor == dec("0.945"))
    }

    @Test func gasHeatSupplyFactorIsOneMinus06TimesRatio() throws {
        // factor 1 - 0.6 x 0.5 = 0.7; 0.392 x 300,000 x 0.7 + 5,900 = 82,320 + 5,900
        let (tonnes, unit) = try allocate(.gas, mwh: "300000", gj: "100000", ratio: "0.5")
        #expect(tonnes == 88_220)
        #expect(unit?.heatSupplyFactor == dec("0.7"))
    }

    @Test(arguments: [
        ("1", "1", 877_000), ("0.85", "1", 877_000),                  // F >= 0.85
        ("0.84", "1.0014", 878_228), ("0.8", "1.007", 883_139),      // 1 + 0.0014 (85 - 100F)
        ("0.78", "1.0102", 885_945), ("0.75", "1.015", 890_155),     // 1.007 + 0.0016 (80 - 100F)
        ("0.7", "1.030225", 903_507), ("0.6", "1.061364", 930_816),  // 1.015^(16 - 20F), 6 decimals
        ("0.5", "1.093443", 958_950), ("0", "1.268986", 1_112_901),
    ])
    func loadFactorBands(load: String, factor: String, tonnes: Int) throws {
        let (allocated, unit) = try allocate(load: load)
        #expect(unit?.loadFactor == dec(factor))
        #expect(allocated == tonnes)
    }

    @Test func loadFactorIsContinuousJustBelowTheBoundaries() throws {
        #expect(try allocate(load: "0.8499").1?.loadFactor == dec("1.000014"))
        #expect(try allocate(load: "0.7999").1?.loadFactor == dec("1.007016"))
        // 1.015^(16 - 14.998) = 1.0150302... -> 1.015030
        #expect(try allocate(load: "0.7499").1?.loadFactor == dec("1.01503"))
    }

    @Test func gasUnitsGetNoLoadFactor() throws {
        let (tonnes, unit) = try allocate(.gas, mwh: "100000", load: "0.5")
        #expect(unit?.loadFactor == 1)
        #expect(tonnes == 39_200)
    }

    @Test func cogenerationCoalUnitsGetNoLoadFactor() throws {
        #expect(try allocate(load: "0.5", ratio: "0.1").1?.loadFactor == 1)
    }

    @Test func preAllocationIs70PercentOfTheReferenceYear() throws {
        let entity = Fixtures.powerEntity()
        let reference = [UnitOutput(unitId: "U1", electricityMWh: 1_000_000, loadRate: dec("0.9"))]
        let pre = try calculator.preAllocation(entity: entity, referenceOutputs: reference)
        #expect(pre.quantity == 613_900)
        #expect(pre.phase == .pre)
        #expect(pre.units.first?.share == dec("0.7"))
    }

    @Test(arguments: [("1100000", 350_800), ("600000", -87_700), ("700000", 0)])
    func trueUpIsFinalMinusPre(finalMWh: String, expected: Int) throws {
        let entity = Fixtures.powerEntity()
        let pre = try calculator.preAllocation(entity: entity, referenceOutputs: [
            UnitOutput(unitId: "U1", electricityMWh: 1_000_000, loadRate: 1)])
        let final = try calculator.finalAllocation(entity: entity, outputs: [
            UnitOutput(unitId: "U1", electricityMWh: dec(finalMWh), loadRate: 1)])
        #expect(EntityAllocation.trueUp(final: final, pre: pre) == expected)
    }

    @Test func roundsTheEntitySumNotEachUnit() throws {
        // Each unit: 0.877 x 0.5 = 0.4385 t (rounds to 0 alone); together 0.877 t -> 1.
        let entity = Fixtures.powerEntity(units: [Fixtures.unit("U1"), Fixtures.unit("U2")])
        let outputs = ["U1", "U2"].map { UnitOutput(unitId: $0, electricityMWh: dec("0.5"), loadRate: 1) }
        let allocation = try calculator.finalAllocation(entity: entity, outputs: outputs)
        #expect(allocation.exactTotal == dec("0.877"))
        #expect(allocation.quantity == 1)
    }

    @Test func roundsHalfUpToWholeTonnes() throws {
        var rules = AllocationRules.plan2019To2020
        rules.categories[.gas]?.electricityBenchmark = dec("0.5")
        let halfBench = AllocationCalculator(rules: rules)
        let entity = Fixtures.powerEntity(units: [Fixtures.unit("G1", .gas)])
        for (mwh, tonnes) in [("5", 3), ("3", 2), ("4.998", 2)] {
            let output = UnitOutput(unitId: "G1", electricityMWh: dec(mwh), loadRate: 1)
            #expect(try halfBench.finalAllocation(entity: entity, outputs: [output]).quantity == tonnes)
        }
    }

    @Test func sumsAllUnitsOfAnEntity() throws {
        let entity = Fixtures.powerEntity(units: [Fixtures.unit("C1"), Fixtures.unit("G1", .gas)])
        let outputs = [UnitOutput(unitId: "C1", electricityMWh: 1_000_000, loadRate: 1),
                       UnitOutput(unitId: "G1", electricityMWh: 300_000, heatGJ: 100_000, loadRate: 1)]
        #expect(try calculator.finalAllocation(entity: entity, outputs: outputs).quantity == 1_000_500)
    }

    @Test func auditTrailEncodesExactDecimalsAsStrings() throws {
        let (_, unit) = try allocate(load: "0.84")
        let json = try JSONEncoder().encode(unit)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["loadFactor"] as? String == "1.0014")
        #expect(object?["exactQuantity"] as? String == "878227.8")
        #expect(try JSONDecoder().decode(UnitAllocation.self, from: json) == unit)
    }
}
