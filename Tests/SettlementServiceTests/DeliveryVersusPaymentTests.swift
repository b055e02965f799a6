import Contract
import Foundation
@testable import SettlementService
import SettlementDomain
import Testing

/// Both legs of a trade, in either order and however often they arrive, give one TradeSettled.
@Suite("Delivery versus payment")
struct DeliveryVersusPaymentTests {
    let settlement: SettlementHarness

    /// B-co has 1,000,000 fen and a buy order b1 for 100 t at 5,000 (500,300 reserved).
    init() throws {
        settlement = try SettlementHarness()
        try settlement.send(opened("2026-07-16"), to: .matchingEvents)
        try settlement.send(deposit("B-co", 1_000_000, ref: "in-1"), to: .settlementCommands)
        try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
    }

    private let expected = TradeSettled(tradeId: "T-1", buyerAccountId: "B-co", sellerAccountId: "S-co", value: 500_000,
                                        buyerFee: 250, sellerFee: 250, buyOrderId: "b1", sellOrderId: "s1")

    @Test func tradeThenDeliverySettlesOnceAndMovesTheFunds() throws {
        let funds = try settlement.send(executed("T-1", buy: "b1", sell: "s1", 100, at: 5_000), to: .matchingEvents)
        #expect(funds.payloads(TradeSettled.self).isEmpty)
        // The last fill releases what the fee hold did not use: 100 x 3 - 250.
        #expect(funds.payloads(FundsReleased.self) == [FundsReleased(orderId: "b1", accountId: "B-co", amount: 50)])
        #expect(try settlement.trade("T-1")?.waitingFor == "allowances")
        let delivery = try settlement.send(delivered("T-1", 100), to: .registryEvents)
        #expect(delivery.payloads(TradeSettled.self) == [expected])
        #expect(delivery.first?.key == "B-co")

        #expect(try settlement.account("B-co")?.available == 1_000_000 - 500_250)
        #expect(try settlement.account("B-co")?.reserved == 0)
        let seller = try #require(try settlement.account("S-co"))
        #expect(seller.available == 499_750 && seller.proceedsToday == 499_750 && seller.withdrawable == 0)
        let totals = try settlement.totals()
        #expect(totals.feesCharged == 500 && totals.feeAccount == 500 && totals.clearing == 0 && totals.balanced)
        let trade = try #require(try settlement.trade("T-1"))
        #expect(trade.settled && trade.funds.done && trade.allowances.done && trade.waitingFor == nil)
    }

    @Test func deliveryThenTradeSettlesOnce() throws {
        let delivery = try settlement.send(delivered("T-1", 100), to: .registryEvents)
        #expect(delivery.isEmpty)
        #expect(try settlement.trade("T-1")?.waitingFor == "funds")
        let funds = try settlement.send(executed("T-1", buy: "b1", sell: "s1", 100, at: 5_000), to: .matchingEvents)
        #expect(funds.payloads(TradeSettled.self) == [expected])
    }

    @Test func eachLegTwiceInEitherOrderStillSettlesOnce() throws {
        var settled: [TradeSettled] = []
        settled += try settlement.send(delivered("T-1", 100), to: .registryEvents).payloads(TradeSettled.self)
        settled += try settlement.send(executed("T-1", buy: "b1", sell: "s1", 100, at: 5_000), to: .matchingEvents)
            .payloads(TradeSettled.self)
        settled += try settlement.send(delivered("T-1", 100), to: .registryEvents).payloads(TradeSettled.self)
        let again = try settlement.send(executed("T-1", buy: "b1", sell: "s1", 100, at: 5_000), to: .matchingEvents)
        settled += again.payloads(TradeSettled.self)
        #expect(again.isEmpty, "a second TradeExecuted with a new event id moves no funds")
        let trade = Envelope(command: delivered("T-1", 100), source: "registry")
        settled += try settlement.sendAll([trade, trade], to: .registryEvents).payloads(TradeSettled.self)
        #expect(settled == [expected])
        #expect(try settlement.account("B-co")?.available == 1_000_000 - 500_250)
        #expect(try settlement.count("SELECT COUNT(*) FROM journal WHERE kind = 'settle-buyer'") == 1)
    }

    @Test func partialFillsKeepTheRestReservedAndReleaseThePriceImprovement() throws {
        // 40 t at 4,900 against a limit of 5,000: value 196,000, buyer fee 98.
        let first = try settlement.send(executed("T-1", buy: "b1", sell: "s1", 40, at: 4_900), to: .matchingEvents)
        // Released: 40 x 5,003 - 196,000 - 98 = 4,022.
        #expect(first.payloads(FundsReleased.self) == [FundsReleased(orderId: "b1", accountId: "B-co", amount: 4_022)])
        let account = try #require(try settlement.account("B-co"))
        #expect(account.reserved == 60 * 5_003)
        #expect(account.openReservations.first?.filled == 40)
        let rest = try settlement.send(OrderCancelled(orderId: "b1", accountId: "B-co", instrument: cea, remainingQuantity: 60),
                                       to: .matchingEvents)
        #expect(rest.payloads(FundsReleased.self).map(\.amount) == [60 * 5_003])
        #expect(try settlement.account("B-co")?.available == 1_000_000 - 196_098)
        #expect(try settlement.totals().balanced)
    }

    @Test func aTradeTheLedgerCannotSettleRaisesAnAlarm() throws {
        let events = try settlement.send(executed("T-9", buy: "b-none", sell: "s1", 1, at: 5_000), to: .matchingEvents)
        let alarm = try #require(events.payloads(SettlementAlarm.self).first)
        #expect(alarm.code == "funds-leg-refused" && alarm.missingLeg == .funds && alarm.tradeId == "T-9")
        #expect(alarm.reason.contains("unknown-reservation"))
        #expect(events.payloads(CommandRejected.self).isEmpty)
        // Seen again: the alarm is not raised twice.
        #expect(try settlement.send(executed("T-9", buy: "b-none", sell: "s1", 1, at: 5_000), to: .matchingEvents).isEmpty)
        #expect(try settlement.trade("T-9")?.funds.refusal?.hasPrefix("unknown-reservation") == true)
        #expect(try settlement.totals().balanced)
    }

    @Test func aDeliveryThatDoesNotMatchTheTradeSettlesWithAnAlarm() throws {
        try settlement.send(executed("T-1", buy: "b1", sell: "s1", 100, at: 5_000), to: .matchingEvents)
        let events = try settlement.send(delivered("T-1", 99), to: .registryEvents)
        #expect(events.types == ["TradeSettled", "SettlementAlarm"])
        #expect(events.payloads(SettlementAlarm.self).first?.code == "leg-mismatch")
    }

    @Test func aMissingLegRaisesTheAlarmOnceAfterTheTimeout() throws {
        try settlement.send(executed("T-1", buy: "b1", sell: "s1", 100, at: 5_000), to: .matchingEvents)
        let at = settlement.clock
        let timeout = settlement.configuration.rules.legTimeoutMilliseconds
        #expect(try settlement.tick(at: at + timeout).isEmpty)
        let alarms = try settlement.tick(at: at + timeout + 1).payloads(SettlementAlarm.self)
        #expect(alarms.count == 1)
        #expect(alarms.first?.code == "leg-overdue" && alarms.first?.missingLeg == .allowances)
        #expect(alarms.first?.since == Timestamp(millisecondsSinceEpoch: at))
        #expect(alarms.first?.waitedMilliseconds == timeout + 1)
        #expect(try settlement.tick(at: at + 10 * timeout).isEmpty, "raised once")
        struct Alarms: Decodable {
            struct Alarm: Decodable { var code: String; var tradeId: String? }
            var total: Int
            var alarms: [Alarm]
        }
        let listed = try #require(try settlement.admin("/alarms", as: Alarms.self).body)
        #expect(listed.total == 1 && listed.alarms.first?.tradeId == "T-1")
        #expect(try settlement.trade("T-1")?.alarmed == true)
        // The late leg still settles the trade.
        #expect(try settlement.send(delivered("T-1", 100), to: .registryEvents).payloads(TradeSettled.self) == [expected])
    }

    @Test func aRestartRebuildsTheSameLedgerFromTheJournal() throws {
        try settlement.send(executed("T-1", buy: "b1", sell: "s1", 40, at: 4_900), to: .matchingEvents)
        try settlement.send(delivered("T-1", 40), to: .registryEvents)
        try settlement.send(WithdrawFunds(accountId: "B-co", amount: 1_000, reference: "out-1"), to: .settlementCommands)
        let before = settlement.ledger
        #expect(before.invariantViolations.isEmpty)
        try settlement.restart()
        #expect(settlement.ledger == before)
        // And the restored service goes on where it stopped.
        let next = try settlement.send(executed("T-2", buy: "b1", sell: "s1", 60, at: 5_000), to: .matchingEvents)
        #expect(next.payloads(FundsReleased.self).count == 1)
        #expect(try settlement.send(delivered("T-2", 60), to: .registryEvents).payloads(TradeSettled.self).count == 1)
        #expect(try settlement.totals().balanced)
    }
}
