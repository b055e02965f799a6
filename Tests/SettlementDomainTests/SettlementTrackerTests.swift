import Foundation
import Testing
import SettlementDomain

/// Delivery versus payment: one settled decision per trade, whatever the order of the legs.
@Suite struct SettlementTrackerTests {
    let funds = FundsLeg(tradeId: "T1", buyerAccountId: "BUYER", sellerAccountId: "SELLER", value: 200_000,
                         buyerFee: 100, sellerFee: 100)
    let expected = SettledTrade(FundsLeg(tradeId: "T1", buyerAccountId: "BUYER", sellerAccountId: "SELLER",
                                         value: 200_000, buyerFee: 100, sellerFee: 100))

    private func at(_ milliseconds: Int64) -> Instant { Instant(millisecondsSinceEpoch: milliseconds) }

    @Test func fundsThenAllowancesSettlesOnce() {
        var tracker = SettlementTracker()
        #expect(tracker.recordFundsLeg(funds, at: at(0)) == .awaiting(.allowances))
        #expect(tracker.recordFundsLeg(funds, at: at(1)) == .duplicate)
        #expect(!tracker.isSettled("T1"))
        #expect(tracker.recordAllowanceLeg(tradeId: "T1", at: at(2)) == .settled(expected))
        #expect(tracker.recordAllowanceLeg(tradeId: "T1", at: at(3)) == .duplicate)
        #expect(tracker.recordFundsLeg(funds, at: at(4)) == .duplicate)
        #expect(tracker.isSettled("T1"))
        #expect(tracker.settledTradeIds == ["T1"])
        #expect(tracker.pending.isEmpty)
    }

    @Test func allowancesThenFundsSettlesOnce() {
        var tracker = SettlementTracker()
        #expect(tracker.recordAllowanceLeg(tradeId: "T1", at: at(0)) == .awaiting(.funds))
        #expect(tracker.recordAllowanceLeg(tradeId: "T1", at: at(1)) == .duplicate)
        #expect(tracker.recordFundsLeg(funds, at: at(2)) == .settled(expected))
        #expect(tracker.recordFundsLeg(funds, at: at(3)) == .duplicate)
        #expect(tracker.recordAllowanceLeg(tradeId: "T1", at: at(4)) == .duplicate)
        #expect(tracker.legs(of: "T1") == TradeLegs(tradeId: "T1", funds: funds, fundsAt: at(2), allowancesAt: at(0),
                                                    isSettled: true))
    }

    @Test func theSettledDecisionCarriesTheFundsLeg() {
        var tracker = SettlementTracker()
        _ = tracker.recordAllowanceLeg(tradeId: "T1", at: at(0))
        guard case .settled(let settled) = tracker.recordFundsLeg(funds, at: at(1)) else {
            Issue.record("not settled")
            return
        }
        #expect(settled.tradeId == "T1" && settled.buyerAccountId == "BUYER" && settled.sellerAccountId == "SELLER")
        #expect(settled.value == 200_000 && settled.buyerFee == 100 && settled.sellerFee == 100)
    }

    @Test func anOverdueAllowanceLegAlarmsOnce() {
        var tracker = SettlementTracker(timeoutMilliseconds: 60_000)
        _ = tracker.recordFundsLeg(funds, at: at(1_000))
        #expect(tracker.overdueTrades(now: at(61_000)).isEmpty) // exactly the timeout: not beyond it
        #expect(tracker.overdueTrades(now: at(61_001))
            == [OverdueTrade(tradeId: "T1", missing: .allowances, since: at(1_000), waitedMilliseconds: 60_001)])
        #expect(tracker.overdueTrades(now: at(120_000)).isEmpty)
        #expect(tracker.legs(of: "T1")?.isAlarmed == true)
        // The late leg still settles the trade.
        #expect(tracker.recordAllowanceLeg(tradeId: "T1", at: at(130_000)) == .settled(expected))
    }

    @Test func anOverdueFundsLegAlarmsToo() {
        var tracker = SettlementTracker(timeoutMilliseconds: 10)
        _ = tracker.recordAllowanceLeg(tradeId: "T9", at: at(0))
        #expect(tracker.overdueTrades(now: at(11)).map(\.missing) == [.funds])
    }

    @Test func settledTradesNeverAlarmAndAlarmsComeOldestFirst() {
        var tracker = SettlementTracker(rules: SettlementRules(legTimeoutMilliseconds: 10))
        for (index, id) in ["T3", "T1", "T2"].enumerated() {
            var leg = funds
            leg.tradeId = TradeID(id)
            _ = tracker.recordFundsLeg(leg, at: at(Int64(index)))
        }
        _ = tracker.recordAllowanceLeg(tradeId: "T1", at: at(5))
        #expect(tracker.overdueTrades(now: at(100)).map(\.tradeId) == ["T3", "T2"])
        #expect(tracker.pending.map(\.tradeId) == ["T3", "T2"])
    }

    @Test func aRestoredTrackerKeepsItsDecisions() throws {
        var tracker = SettlementTracker(timeoutMilliseconds: 10)
        _ = tracker.recordFundsLeg(funds, at: at(0))
        _ = tracker.recordAllowanceLeg(tradeId: "T2", at: at(0))
        _ = tracker.overdueTrades(now: at(100))
        let rows = ["T1", "T2"].compactMap { tracker.legs(of: TradeID($0)) }
        var restored = SettlementTracker(timeoutMilliseconds: 10, restoring: rows)
        #expect(restored == tracker)
        #expect(restored.overdueTrades(now: at(200)).isEmpty)
        #expect(restored.recordAllowanceLeg(tradeId: "T1", at: at(300)) == .settled(expected))
        let data = try JSONEncoder().encode(rows)
        #expect(try JSONDecoder().decode([TradeLegs].self, from: data) == rows)
    }
}
