import Foundation

/// One version of the benchmark-method allocation rules, as the authority publishes them.
///
/// Every number of the formula lives here rather than in code: the authority revises
/// benchmarks and factors each plan period, and each revision must be a new rules document
/// with its own `version` and `effectiveDate`, loadable without a release. Decimal values
/// are JSON numbers and decode exactly (no binary rounding) into `Decimal`.
public struct AllocationRules: Codable, Sendable, Hashable {
    /// Identifier recorded with every allocation, so an auditor knows which table produced it.
    public var version: String
    /// First day these rules apply to; see `effective(on:among:)`.
    public var effectiveDate: CalendarDay
    /// Where the numbers come from and how sure they are (free text, e.g. "unverified").
    public var source: String?
    /// Benchmarks and per-category correction coefficients; must cover every `UnitCategory`.
    public var categories: [UnitCategory: CategoryRules]
    /// Cooling correction by cooling mode (water 1.0, air 1.05 in the 2019-2020 plan).
    public var coolingFactors: [Cooling: Decimal]
    /// The load correction of pure-condensing units.
    public var loadFactor: LoadFactorTable
    /// Share of the reference year's output allocated in the pre-allocation (0.7).
    public var preAllocationShare: Decimal

    public init(version: String, effectiveDate: CalendarDay, source: String? = nil,
                categories: [UnitCategory: CategoryRules], coolingFactors: [Cooling: Decimal],
                loadFactor: LoadFactorTable, preAllocationShare: Decimal) {
        self.version = version
        self.effectiveDate = effectiveDate
        self.source = source
        self.categories = categories
        self.coolingFactors = coolingFactors
        self.loadFactor = loadFactor
        self.preAllocationShare = preAllocationShare
    }

    /// Decodes a rules document and checks it is usable.
    /// - Throws: `RegistryRefusal` `invalid-allocation-rules` naming the decoding error or
    ///   every validation problem.
    public static func load(from json: Data) throws(RegistryRefusal) -> AllocationRules {
        let rules: AllocationRules
        do {
            rules = try JSONDecoder().decode(AllocationRules.self, from: json)
        } catch {
            throw RegistryRefusal(code: RefusalCode.invalidRules, reason: "allocation rules do not decode: \(error)")
        }
        let problems = rules.problems
        guard problems.isEmpty else {
            throw RegistryRefusal(code: RefusalCode.invalidRules, reason: problems.joined(separator: "; "))
        }
        return rules
    }

    /// The rules in force on `day`: the one with the latest `effectiveDate` not after it.
    public static func effective(on day: CalendarDay, among versions: [AllocationRules]) -> AllocationRules? {
        versions.filter { $0.effectiveDate <= day }.max { $0.effectiveDate < $1.effectiveDate }
    }

    /// Everything that makes these rules unusable, in words; empty when they are sound.
    public var problems: [String] {
        var problems: [String] = []
        if version.isEmpty { problems.append("version must not be empty") }
        for category in UnitCategory.allCases {
            guard let rules = categories[category] else {
                problems.append("no benchmarks for unit category \(category.rawValue)")
                continue
            }
            problems += rules.problems.map { "\(category.rawValue): \($0)" }
        }
        for cooling in Cooling.allCases {
            guard let factor = coolingFactors[cooling] else {
                problems.append("no cooling factor for \(cooling.rawValue)")
                continue
            }
            if factor.isNaN || factor <= 0 { problems.append("cooling factor \(cooling.rawValue) must be positive") }
        }
        if preAllocationShare.isNaN || preAllocationShare <= 0 || preAllocationShare > 1 {
            problems.append("preAllocationShare must be within (0, 1], got \(preAllocationShare)")
        }
        return problems + loadFactor.problems
    }
}

/// Benchmarks and correction coefficients of one unit category.
public struct CategoryRules: Codable, Sendable, Hashable {
    /// Tonnes of CO2 allocated per MWh of electricity supplied.
    public var electricityBenchmark: Decimal
    /// Tonnes of CO2 allocated per GJ of heat supplied.
    public var heatBenchmark: Decimal
    /// `c` in the heat-supply factor `1 - c x heatSupplyRatio` (coal 0.22, gas 0.6).
    public var heatSupplyCoefficient: Decimal
    /// Whether the load factor applies to this category (coal: yes; gas: no, factor 1.0).
    public var loadFactorApplies: Bool

    public init(electricityBenchmark: Decimal, heatBenchmark: Decimal,
                heatSupplyCoefficient: Decimal, loadFactorApplies: Bool) {
        self.electricityBenchmark = electricityBenchmark
        self.heatBenchmark = heatBenchmark
        self.heatSupplyCoefficient = heatSupplyCoefficient
        self.loadFactorApplies = loadFactorApplies
    }

    var problems: [String] {
        var problems: [String] = []
        if electricityBenchmark.isNaN || electricityBenchmark < 0 { problems.append("electricityBenchmark must be >= 0") }
        if heatBenchmark.isNaN || heatBenchmark < 0 { problems.append("heatBenchmark must be >= 0") }
        // Above 1 the heat-supply factor could turn negative for a ratio of 1.
        if heatSupplyCoefficient.isNaN || !(0...1).contains(heatSupplyCoefficient) {
            problems.append("heatSupplyCoefficient must be within 0...1")
        }
        return problems
    }
}
