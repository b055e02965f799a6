import Contract
import Foundation
@testable import MatchingService
import Testing

/// DESIGN.md "The order saga", step 3: matching admits an order into the book only after its
/// hold event; a refused hold gives `OrderRejected`.
@Suite("Hold admission")
struct HoldAdmissionTests {
    @Test func anOrderWaitsForItsHoldBeforeItIsAccepted() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.send(Script.sell("s1", "seller", 100, at: 5_000))
        #expect(try h.types() == ["SessionOpened"], "nothing until the hold")
        try h.placeHold(Script.sell("s1", "seller", 100, at: 5_000))
        #expect(try h.types() == ["SessionOpened", "OrderAccepted"])
    }

    @Test func fundsReservedAdmitsABuyThatThenTrades() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.submitHeld(Script.sell("s1", "seller", 100, at: 5_000))
        try h.send(Script.buy("b1", "buyer", 100, at: 5_000))
        try h.apply([h.record(FundsReserved(orderId: "b1", accountId: "buyer", amount: 500_000), to: .settlementEvents)])
        #expect(try h.types(after: 2) == ["OrderAccepted", "TradeExecuted"])
    }

    @Test func aFreezeRejectedRejectsTheSellWithTheRegistrysCodeAndReason() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.send(Script.sell("s1", "seller", 100, at: 5_000))
        try h.apply([h.record(FreezeRejected(orderId: "s1", accountId: "seller", code: "insufficient-allowances",
                                             reason: "seller holds 20 t", instrument: .cea), to: .registryEvents)])
        #expect(try h.payloads(OrderRejected.self)
            == [OrderRejected(orderId: "s1", accountId: "seller", code: "insufficient-allowances", reason: "seller holds 20 t",
                              instrument: .cea, hold: .refused)])
    }

    @Test func aReserveRejectedRejectsTheBuy() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.send(Script.buy("b1", "buyer", 100, at: 5_000))
        try h.apply([h.record(ReserveRejected(orderId: "b1", accountId: "buyer", code: "insufficient-funds",
                                              reason: "balance 10 fen"), to: .settlementEvents)])
        let rejected = try #require(try h.payloads(OrderRejected.self).first)
        #expect(rejected.code == "insufficient-funds")
        #expect(rejected.hold == .refused)
    }

    @Test func aHoldThatArrivesBeforeItsOrderAdmitsTheOrderOnArrival() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        let order = Script.sell("s1", "seller", 100, at: 5_000)
        try h.placeHold(order)
        #expect(try h.types() == ["SessionOpened"])
        try h.send(order)
        #expect(try h.types() == ["SessionOpened", "OrderAccepted"])
    }

    @Test func aCancelBeforeTheHoldEndsTheOrderWhenTheHoldComesSoItIsReleased() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        let order = Script.buy("b1", "buyer", 100, at: 5_000)
        try h.send(order)
        try h.send(CancelOrder(orderId: "b1", accountId: "buyer", instrument: .cea))
        #expect(try h.types() == ["SessionOpened"])
        try h.placeHold(order)
        #expect(try h.payloads(OrderCancelled.self).map(\.orderId) == ["b1"])
        #expect(try h.payloads(OrderAccepted.self).isEmpty)
    }

    @Test func otherServicesEventsOnTheInputTopicsAreIgnoredNotDeadLettered() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.apply([
            h.record(AllowancesUnfrozen(orderId: "x", accountId: "a", instrument: .cea, quantity: 5), to: .registryEvents),
            h.record(CommandRejected(commandId: "c", commandType: "RegisterEntity", code: "entity-exists", reason: "dup"),
                     to: .registryEvents),
            h.record(TradeSettled(tradeId: "t", buyerAccountId: "b", sellerAccountId: "s", value: 100, buyerFee: 1,
                                  sellerFee: 1), to: .settlementEvents),
            h.record(FundsDeposited(accountId: "a", amount: 100, reference: "r"), to: .settlementEvents),
        ])
        #expect(try h.types() == ["SessionOpened"])
        #expect(try h.outbox().count == 1, "no dead letter, no refusal")
        #expect(try h.count("SELECT COUNT(*) FROM journal") == 1, "ignored events are not journaled")
    }

    @Test func aHoldEventSentAsAnOrderCommandIsDeadLettered() throws {
        let h = try MatchingHarness()
        try h.send(Script.open())
        try h.send(AllowancesFrozen(orderId: "s1", accountId: "seller", instrument: .cea, quantity: 1), to: .marketOrders)
        let letters = try h.outbox(Topic.marketOrders.deadLetter).map { try JSONDecoder().decode(DeadLetter.self, from: $0.value) }
        #expect(letters.map(\.code) == ["misrouted-type"])
        #expect(letters.first?.reason.contains("AllowancesFrozen does not travel on market.orders") == true)
        #expect(try h.count("SELECT COUNT(*) FROM journal") == 1)
    }
}
