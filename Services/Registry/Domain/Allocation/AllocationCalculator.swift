import Foundation

/// Computes free allocations by the benchmark method from a rules version and unit outputs.
///
/// Pure and deterministic: the same rules and outputs give the same tonnes and the same audit
/// trail on every machine (exact decimals; the one real power is rounded, see
/// `LoadFactorTable`). Interpretations, all driven by the rules document:
/// - The load factor applies to categories with `loadFactorApplies` (the coal categories) and,
///   when `pureCondensingOnly`, only to units with a zero heat-supply ratio: cogeneration is
///   corrected by the heat-supply factor instead. Gas units get load factor 1.0.
/// - The heat-supply factor is `1 - coefficient x heatSupplyRatio` for every unit (1 when the
///   ratio is 0).
/// - Pre-allocation multiplies each unit's allowance from the reference year's output by the
///   pre-allocation share (0.7), which equals 70% of the output times the benchmarks.
public struct AllocationCalculator: Sendable {
    public let rules: AllocationRules

    public init(rules: AllocationRules = .plan2019To2020) {
        self.rules = rules
    }

    /// The pre-allocation: `preAllocationShare` of the allowance for the reference year's output.
    /// - Throws: see `allocate(entity:outputs:phase:)`.
    public func preAllocation(entity: Entity, referenceOutputs: [UnitOutput]) throws(RegistryRefusal) -> EntityAllocation {
        try allocate(entity: entity, outputs: referenceOutputs, phase: .pre)
    }

    /// The final allocation from the year's verified output.
    /// - Throws: see `allocate(entity:outputs:phase:)`.
    public func finalAllocation(entity: Entity, outputs: [UnitOutput]) throws(RegistryRefusal) -> EntityAllocation {
        try allocate(entity: entity, outputs: outputs, phase: .final)
    }

    /// The allocation of `entity` for `phase` from one output per registered unit.
    /// - Throws: `RegistryRefusal` `invalid-unit-output` (negative, out of range, too many
    ///   decimals), `unknown-unit` (output for a unit the entity does not have),
    ///   `duplicate-unit-output`, `missing-unit-output` (a registered unit without output:
    ///   allocating it zero silently would under-allocate).
    public func allocate(entity: Entity, outputs: [UnitOutput], phase: AllocationPhase) throws(RegistryRefusal) -> EntityAllocation {
        var byUnit: [String: UnitOutput] = [:]
        for output in outputs {
            guard entity.units.contains(where: { $0.unitId == output.unitId }) else {
                throw RegistryRefusal(code: RefusalCode.unknownUnit,
                                      reason: "entity \(entity.entityId) has no unit \(output.unitId)")
            }
            guard byUnit.updateValue(output, forKey: output.unitId) == nil else {
                throw RegistryRefusal(code: RefusalCode.duplicateOutput,
                                      reason: "more than one output for unit \(output.unitId) of \(entity.entityId)")
            }
        }
        let share: Decimal = phase == .pre ? rules.preAllocationShare : 1
        var units: [UnitAllocation] = []
        for unit in entity.units {
            guard let output = byUnit[unit.unitId] else {
                throw RegistryRefusal(code: RefusalCode.missingOutput,
                                      reason: "no output recorded for unit \(unit.unitId) of \(entity.entityId)")
            }
            units.append(try allocation(for: unit, output: output, share: share))
        }
        let exact = units.reduce(Decimal(0)) { $0 + $1.exactQuantity }
        guard let quantity = exact.rounded(scale: 0).exactInt else {
            throw RegistryRefusal(code: RefusalCode.invalidOutput,
                                  reason: "allocation of \(entity.entityId) is out of range: \(exact)")
        }
        return EntityAllocation(entityId: entity.entityId, phase: phase, rulesVersion: rules.version,
                                units: units, quantity: quantity)
    }

    /// One unit's exact allowance with every factor, for `share` of its output (1 = final).
    /// - Throws: `RegistryRefusal` `invalid-unit-output` for unusable figures, or
    ///   `invalid-allocation-rules` when the rules lack what the unit needs.
    public func allocation(for unit: GeneratingUnit, output: UnitOutput, share: Decimal = 1) throws(RegistryRefusal) -> UnitAllocation {
        if let problem = output.problem { throw problem }
        guard let category = rules.categories[unit.category], let cooling = rules.coolingFactors[unit.cooling] else {
            throw RegistryRefusal(code: RefusalCode.invalidRules, reason:
                "rules \(rules.version) lack factors for \(unit.category.rawValue) / \(unit.cooling.rawValue)")
        }
        let load = try loadFactor(category: category, output: output)
        return UnitAllocation(
            unitId: unit.unitId, category: unit.category, cooling: unit.cooling, output: output,
            electricityBenchmark: category.electricityBenchmark, heatBenchmark: category.heatBenchmark,
            coolingFactor: cooling,
            heatSupplyFactor: 1 - category.heatSupplyCoefficient * output.heatSupplyRatio,
            loadFactor: load, share: share)
    }

    private func loadFactor(category: CategoryRules, output: UnitOutput) throws(RegistryRefusal) -> Decimal {
        guard category.loadFactorApplies else { return 1 }
        if rules.loadFactor.pureCondensingOnly, output.heatSupplyRatio > 0 { return 1 }
        guard let factor = rules.loadFactor.factor(loadRate: output.loadRate) else {
            throw RegistryRefusal(code: RefusalCode.invalidRules,
                                  reason: "rules \(rules.version) give no load factor for load rate \(output.loadRate)")
        }
        return factor
    }
}
