import Testing
import SettlementDomain

/// Random interleavings of both legs, each delivered one to three times, with alarm checks
/// in between: exactly one settled decision per trade, at the arrival of its second leg, and
/// at most one alarm per trade.
@Suite struct TrackerPropertyTests {
    @Test func everyTradeSettlesExactlyOnceWhateverTheOrder() {
        for seed in UInt64(0)..<1_000 {
            var random = SplitMix64(seed: seed)
            var tracker = SettlementTracker(timeoutMilliseconds: 50)
            let trades = (0..<(1 + random.roll(12))).map { TradeID("T\($0)") }
            var arrivals: [(TradeID, SettlementLeg)] = []
            for tradeId in trades {
                for leg in SettlementLeg.allCases {
                    for _ in 0..<(1 + random.roll(3)) { arrivals.append((tradeId, leg)) }
                }
            }
            arrivals.shuffle(using: &random)
            var settledCount: [TradeID: Int] = [:], alarms: [TradeID: Int] = [:]
            var seen: Set<String> = []
            for (time, (tradeId, leg)) in arrivals.enumerated() {
                let now = Instant(millisecondsSinceEpoch: Int64(time * 10))
                let outcome = leg == .funds
                    ? tracker.recordFundsLeg(FundsLeg(tradeId: tradeId, buyerAccountId: "B", sellerAccountId: "S",
                                                      value: 100, buyerFee: 1, sellerFee: 1), at: now)
                    : tracker.recordAllowanceLeg(tradeId: tradeId, at: now)
                let first = seen.insert("\(tradeId)/\(leg)").inserted
                let other = seen.contains("\(tradeId)/\(leg == .funds ? SettlementLeg.allowances : .funds)")
                switch outcome {
                case .settled(let settled):
                    #expect(settled.tradeId == tradeId && first && other, "seed \(seed)")
                    settledCount[tradeId, default: 0] += 1
                case .awaiting(let missing):
                    #expect(first && !other && missing != leg, "seed \(seed)")
                case .duplicate:
                    #expect(!first, "seed \(seed)")
                }
                if random.roll(3) == 0 {
                    for overdue in tracker.overdueTrades(now: now) { alarms[overdue.tradeId, default: 0] += 1 }
                }
            }
            #expect(trades.allSatisfy { settledCount[$0] == 1 }, "seed \(seed): \(settledCount)")
            #expect(alarms.values.allSatisfy { $0 == 1 }, "seed \(seed)")
            #expect(tracker.settledTradeIds == Set(trades) && tracker.pending.isEmpty)
        }
    }
}
