import Foundation

/// The 2019-2020 national power-sector plan (Nov 2020) as shipped defaults.
///
/// Values from the ICAP summary of the plan; the final benchmarks and the correction factors
/// are unverified against the primary text, which is why they live in a rules document the
/// operator can replace. `defaultJSON` is the same rules as a document (also written to
/// `deploy/rules/allocation-2019-2020.json`); a test keeps the two identical.
extension AllocationRules {
    /// The shipped rules as a value (no resource file, no decoding needed).
    public static let plan2019To2020 = AllocationRules(
        version: "cn-power-2019-2020-v1",
        effectiveDate: CalendarDay(trustedYear: 2019, month: 1, day: 1),
        source: "National power-sector allocation plan 2019-2020 (Nov 2020), ICAP summary; "
            + "final benchmarks and correction factors unverified",
        categories: [
            .coalAbove300MW: CategoryRules(electricityBenchmark: Decimal(877) / 1000, heatBenchmark: Decimal(126) / 1000,
                                           heatSupplyCoefficient: Decimal(22) / 100, loadFactorApplies: true),
            .coal300MWOrBelow: CategoryRules(electricityBenchmark: Decimal(979) / 1000, heatBenchmark: Decimal(126) / 1000,
                                             heatSupplyCoefficient: Decimal(22) / 100, loadFactorApplies: true),
            .coalUnconventional: CategoryRules(electricityBenchmark: Decimal(1146) / 1000, heatBenchmark: Decimal(126) / 1000,
                                               heatSupplyCoefficient: Decimal(22) / 100, loadFactorApplies: true),
            .gas: CategoryRules(electricityBenchmark: Decimal(392) / 1000, heatBenchmark: Decimal(59) / 1000,
                                heatSupplyCoefficient: Decimal(6) / 10, loadFactorApplies: false),
        ],
        coolingFactors: [.water: 1, .air: Decimal(105) / 100],
        loadFactor: LoadFactorTable(pureCondensingOnly: true, bands: [
            LoadFactorBand(minLoadRate: Decimal(85) / 100, kind: .constant, base: 1),
            LoadFactorBand(minLoadRate: Decimal(80) / 100, kind: .linear, base: 1,
                           slope: Decimal(14) / 10000, pivot: 85),
            LoadFactorBand(minLoadRate: Decimal(75) / 100, kind: .linear, base: Decimal(1007) / 1000,
                           slope: Decimal(16) / 10000, pivot: 80),
            LoadFactorBand(minLoadRate: 0, kind: .power, base: Decimal(1015) / 1000, slope: 20, pivot: 16),
        ], powerDecimals: 6),
        preAllocationShare: Decimal(7) / 10)

    /// The shipped rules as a JSON document, the format operators edit.
    public static let defaultJSON = #"""
    {
      "version": "cn-power-2019-2020-v1",
      "effectiveDate": "2019-01-01",
      "source": "National power-sector allocation plan 2019-2020 (Nov 2020), ICAP summary; final benchmarks and correction factors unverified",
      "categories": {
        "coal-above-300mw":    {"electricityBenchmark": 0.877, "heatBenchmark": 0.126, "heatSupplyCoefficient": 0.22, "loadFactorApplies": true},
        "coal-300mw-or-below": {"electricityBenchmark": 0.979, "heatBenchmark": 0.126, "heatSupplyCoefficient": 0.22, "loadFactorApplies": true},
        "coal-unconventional": {"electricityBenchmark": 1.146, "heatBenchmark": 0.126, "heatSupplyCoefficient": 0.22, "loadFactorApplies": true},
        "gas":                 {"electricityBenchmark": 0.392, "heatBenchmark": 0.059, "heatSupplyCoefficient": 0.6,  "loadFactorApplies": false}
      },
      "coolingFactors": {"water": 1.0, "air": 1.05},
      "loadFactor": {
        "pureCondensingOnly": true,
        "powerDecimals": 6,
        "bands": [
          {"minLoadRate": 0.85, "kind": "constant", "base": 1.0},
          {"minLoadRate": 0.80, "kind": "linear", "base": 1.0,   "slope": 0.0014, "pivot": 85},
          {"minLoadRate": 0.75, "kind": "linear", "base": 1.007, "slope": 0.0016, "pivot": 80},
          {"minLoadRate": 0,    "kind": "power",  "base": 1.015, "slope": 20,     "pivot": 16}
        ]
      },
      "preAllocationShare": 0.7
    }
    """#
}
