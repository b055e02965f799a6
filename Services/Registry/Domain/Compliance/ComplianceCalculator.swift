/// Whether an entity met its obligation for a year (contract values `compliant`, `shortfall`,
/// `pending`).
public enum ComplianceStatus: String, Codable, Sendable, CaseIterable, Hashable {
    /// Verified emissions are known and the obligation is covered.
    case compliant
    /// Verified emissions are known and some tonnes are missing (`shortfall` says how many).
    case shortfall
    /// No verified emissions yet: nothing can be assessed.
    case pending
}

/// The figures of one entity and year that compliance depends on; the service gathers them.
public struct ComplianceFigures: Codable, Sendable, Hashable {
    public var entityId: String
    public var year: Int
    /// Verified emissions in tonnes, `nil` until `EmissionsVerified`.
    public var verified: Int?
    /// Free allocation for the year in tonnes (pre-allocation plus true-up).
    public var allocated: Int
    public var surrenderedCEA: Int
    public var surrenderedCCER: Int
    /// All units burn gas (`Entity.isGasFired`): the shortfall is capped at the allocation.
    public var gasFired: Bool

    public init(entityId: String, year: Int, verified: Int?, allocated: Int,
                surrenderedCEA: Int = 0, surrenderedCCER: Int = 0, gasFired: Bool = false) {
        self.entityId = entityId
        self.year = year
        self.verified = verified
        self.allocated = allocated
        self.surrenderedCEA = surrenderedCEA
        self.surrenderedCCER = surrenderedCCER
        self.gasFired = gasFired
    }
}

/// The `ComplianceAssessed` payload plus the offset detail an auditor needs.
public struct ComplianceAssessment: Codable, Sendable, Hashable {
    public var entityId: String
    public var year: Int
    public var verified: Int?
    public var allocated: Int
    public var surrenderedCEA: Int
    public var surrenderedCCER: Int
    /// CCER counted toward the obligation: min(surrendered CCER, offset cap).
    public var countedCCER: Int
    /// What counts: CEA plus counted CCER.
    public var surrendered: Int
    /// Tonnes owed (0 while pending).
    public var obligation: Int
    /// max(0, obligation - surrendered) (0 while pending).
    public var shortfall: Int
    public var status: ComplianceStatus
}

/// Assesses compliance of an entity for a year. Pure: figures in, assessment out.
public struct ComplianceCalculator: Sendable {
    public let rules: ComplianceRules

    public init(rules: ComplianceRules = .firstCycle) {
        self.rules = rules
    }

    /// Assesses `figures`.
    /// - Throws: `RegistryRefusal` `invalid-emissions` for negative or absurdly large figures.
    public func assess(_ figures: ComplianceFigures) throws(RegistryRefusal) -> ComplianceAssessment {
        let named: [(String, Int)] = [("verified", figures.verified ?? 0), ("allocated", figures.allocated),
                                      ("surrenderedCEA", figures.surrenderedCEA), ("surrenderedCCER", figures.surrenderedCCER)]
        for (name, value) in named where !(0...HoldingsLedger.maxOutstanding).contains(value) {
            throw RegistryRefusal(code: RefusalCode.invalidEmissions,
                                  reason: "\(name) must be 0...\(HoldingsLedger.maxOutstanding) tonnes, got \(value)")
        }
        var assessment = ComplianceAssessment(
            entityId: figures.entityId, year: figures.year, verified: figures.verified, allocated: figures.allocated,
            surrenderedCEA: figures.surrenderedCEA, surrenderedCCER: figures.surrenderedCCER, countedCCER: 0,
            surrendered: figures.surrenderedCEA, obligation: 0, shortfall: 0, status: .pending)
        guard let verified = figures.verified else {
            // Without verified emissions the offset cap is unknown: count no CCER yet.
            return assessment
        }
        assessment.countedCCER = min(figures.surrenderedCCER, rules.offsetCap(verified: verified))
        assessment.surrendered = figures.surrenderedCEA + assessment.countedCCER
        assessment.obligation = rules.obligation(verified: verified, allocated: figures.allocated, gasFired: figures.gasFired)
        assessment.shortfall = max(0, assessment.obligation - assessment.surrendered)
        assessment.status = assessment.shortfall == 0 ? .compliant : .shortfall
        return assessment
    }
}
