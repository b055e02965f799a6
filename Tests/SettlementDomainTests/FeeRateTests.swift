import Testing
import SettlementDomain

/// Fees: a rate per side on traded value, rounded per trade per side.
@Suite struct FeeRateTests {
    let rate = FeeRate.basisPoints(5)

    @Test func fiveBasisPointsIsFiveHundredPartsPerMillion() {
        #expect(rate.partsPerMillion == 500)
        #expect(SettlementRules.standard.feeRate == rate)
        #expect(SettlementRules.standard.feeRounding == .halfUp)
        #expect(SettlementRules.standard.feeAccountId == "EXCHANGE-FEES")
    }

    @Test(arguments: [
        (Int64(0), Int64(0)), (999, 0), (1_000, 1), (1_999, 1), (2_999, 1), (3_000, 2),
        (199_600, 100), (199_599, 100), (198_999, 99), (1_000_000, 500),
    ])
    func halfUpRoundsHalvesUp(value: Int64, fee: Int64) {
        #expect(rate.fee(on: Fen(value), rounding: .halfUp) == Fen(fee))
    }

    @Test func upAndDownRoundAnyFraction() {
        #expect(rate.fee(on: 999, rounding: .up) == 1)
        #expect(rate.fee(on: 999, rounding: .down) == 0)
        #expect(rate.fee(on: 2_000, rounding: .up) == 1)
        #expect(rate.fee(on: 2_000, rounding: .down) == 1)
        #expect(rate.fee(on: 2_001, rounding: .up) == 2)
    }

    @Test func exactForTheLargestAmounts() {
        // 9,223,372,036,854,775 x 500 / 10^6 = 4,611,686,018,427.3875
        let largest = Fen(FundsLedger.maxAmount)
        #expect(rate.fee(on: largest, rounding: .halfUp) == 4_611_686_018_427)
        #expect(rate.fee(on: largest, rounding: .up) == 4_611_686_018_428)
        #expect(FeeRate(partsPerMillion: 1_000_000).fee(on: Fen(Int64.max), rounding: .halfUp) == Fen(Int64.max))
    }

    @Test func maximumFeePerTonneRoundsUp() {
        #expect(rate.maximumFeePerTonne(at: 5_000) == 3) // 2.5 fen
        #expect(rate.maximumFeePerTonne(at: 1_000) == 1) // 0.5 fen
        #expect(rate.maximumFeePerTonne(at: 1) == 1) // 0.0005 fen
        #expect(FeeRate(partsPerMillion: 0).maximumFeePerTonne(at: 5_000) == 0)
    }

    @Test func maximumFeeCoversAnySplitIntoFills() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let rate = FeeRate(partsPerMillion: Int64(random.roll(20_000)))
            let limit = Fen(Int64(1 + random.roll(100_000)))
            var left = Int64(1 + random.roll(500))
            let bound = Fen(left * rate.maximumFeePerTonne(at: limit).rawValue)
            var charged = Fen.zero
            while left > 0 {
                let fill = Int64(1 + random.roll(Int(left)))
                let price = Fen(Int64(1 + random.roll(Int(limit.rawValue))))
                charged += rate.fee(on: Fen(fill * price.rawValue), rounding: FeeRounding.allCases[random.roll(3)])
                left -= fill
            }
            #expect(charged <= bound)
        }
    }

    @Test func rulesOutsideTheirRangesAreRefused() {
        func code(_ rules: SettlementRules) -> String? {
            do { try rules.validate(); return nil } catch { return error.code }
        }
        #expect(code(.standard) == nil)
        #expect(code(SettlementRules(feeRate: FeeRate(partsPerMillion: -1))) == "invalid-rules")
        #expect(code(SettlementRules(feeRate: FeeRate(partsPerMillion: 1_000_001))) == "invalid-rules")
        #expect(code(SettlementRules(feeAccountId: "X", clearingAccountId: "X")) == "invalid-rules")
        #expect(code(SettlementRules(feeAccountId: "")) == "invalid-rules")
        #expect(code(SettlementRules(legTimeoutMilliseconds: 0)) == "invalid-rules")
        #expect(throws: SettlementRefusal.self) { try FundsLedger(rules: SettlementRules(legTimeoutMilliseconds: -1)) }
    }
}
