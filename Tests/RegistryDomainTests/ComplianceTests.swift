import Testing
import RegistryDomain

@Suite struct ComplianceTests {
    let calculator = ComplianceCalculator()

    private func assess(verified: Int?, allocated: Int, cea: Int = 0, ccer: Int = 0,
                        gas: Bool = false) throws -> ComplianceAssessment {
        try calculator.assess(ComplianceFigures(entityId: "E1", year: 2020, verified: verified, allocated: allocated,
                                                surrenderedCEA: cea, surrenderedCCER: ccer, gasFired: gas))
    }

    @Test func obligationIsVerifiedEmissionsWhenWithinTheCap() throws {
        let result = try assess(verified: 1_000_000, allocated: 950_000, cea: 1_000_000)
        #expect(result.obligation == 1_000_000)
        #expect(result.shortfall == 0)
        #expect(result.status == .compliant)
    }

    @Test func nonGasObligationIsCappedAtAllocationPlus20PercentOfVerified() throws {
        // cap = 500,000 + 20% x 1,000,000 = 700,000 < 1,000,000 verified
        let result = try assess(verified: 1_000_000, allocated: 500_000, cea: 650_000)
        #expect(result.obligation == 700_000)
        #expect(result.shortfall == 50_000)
        #expect(result.status == .shortfall)
    }

    @Test func twentyPercentCapRoundsDown() throws {
        // 20% of 1,003 = 200.6 -> 200; obligation = min(1,003, 0 + 200)
        #expect(try assess(verified: 1_003, allocated: 0).obligation == 200)
    }

    @Test func gasFiredObligationIsCappedAtTheFreeAllocation() throws {
        let result = try assess(verified: 1_000_000, allocated: 800_000, cea: 800_000, gas: true)
        #expect(result.obligation == 800_000)
        #expect(result.status == .compliant)
    }

    @Test func gasFiredEntityBelowItsAllocationOwesVerified() throws {
        #expect(try assess(verified: 700_000, allocated: 800_000, gas: true).obligation == 700_000)
    }

    @Test func ccerCountsUpToFivePercentOfVerified() throws {
        // cap 5% x 1,000,000 = 50,000; 60,000 surrendered, 50,000 count
        let result = try assess(verified: 1_000_000, allocated: 1_000_000, cea: 950_000, ccer: 60_000)
        #expect(result.countedCCER == 50_000)
        #expect(result.surrendered == 1_000_000)
        #expect(result.status == .compliant)
    }

    @Test func ccerBeyondTheCapDoesNotCoverAShortfall() throws {
        let result = try assess(verified: 1_000_000, allocated: 1_000_000, cea: 900_000, ccer: 100_000)
        #expect(result.shortfall == 50_000)
    }

    @Test func ccerCapRoundsDown() {
        #expect(ComplianceRules.firstCycle.offsetCap(verified: 1_019) == 50)
        #expect(ComplianceRules.firstCycle.offsetCap(verified: 1_020) == 51)
    }

    @Test func pendingUntilEmissionsAreVerified() throws {
        let result = try assess(verified: nil, allocated: 500_000, cea: 100_000, ccer: 10)
        #expect(result.status == .pending)
        #expect(result.obligation == 0)
        #expect(result.shortfall == 0)
        #expect(result.countedCCER == 0)
    }

    @Test func zeroVerifiedEmissionsAreCompliant() throws {
        #expect(try assess(verified: 0, allocated: 10).status == .compliant)
    }

    @Test func refusesNegativeFigures() {
        #expect(throws: RegistryRefusal.self) { try assess(verified: -1, allocated: 0) }
        #expect(throws: RegistryRefusal.self) { try assess(verified: 1, allocated: 0, cea: -1) }
    }

    @Test func sharesAreConfigurable() throws {
        let strict = ComplianceCalculator(rules: ComplianceRules(offsetCapBasisPoints: 0, shortfallCapBasisPoints: 10_000))
        let result = try strict.assess(ComplianceFigures(entityId: "E1", year: 2020, verified: 100, allocated: 0,
                                                         surrenderedCEA: 0, surrenderedCCER: 5))
        #expect(result.obligation == 100)
        #expect(result.countedCCER == 0)
    }
}

@Suite struct SurrenderPolicyTests {
    let policy = SurrenderPolicy()

    @Test func allowsCCERUpToTheCap() throws {
        try policy.check(.ccer, quantity: 30_000, verified: 1_000_000, alreadySurrenderedCCER: 20_000)
    }

    @Test func refusesCCERBeyondTheCapCountingEarlierSurrenders() {
        #expect(throws: RegistryRefusal(code: "ccer-cap-exceeded", reason: """
            CCER may cover at most 50000 t (5% of 1000000 t verified); 20000 t already surrendered, cannot add 30001 t
            """)) {
            try policy.check(.ccer, quantity: 30_001, verified: 1_000_000, alreadySurrenderedCCER: 20_000)
        }
    }

    @Test func refusesCCERBeforeEmissionsAreVerified() {
        #expect(throws: RegistryRefusal.self) {
            try policy.check(.ccer, quantity: 1, verified: nil, alreadySurrenderedCCER: 0)
        }
    }

    @Test func ceaIsNotCapped() throws {
        try policy.check(.cea, quantity: 5_000_000, verified: nil, alreadySurrenderedCCER: 0)
    }

    @Test func refusesANonPositiveQuantity() {
        #expect(throws: RegistryRefusal.self) {
            try policy.check(.cea, quantity: 0, verified: 10, alreadySurrenderedCCER: 0)
        }
    }
}
