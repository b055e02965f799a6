import Contract
import Foundation
@testable import SettlementService
import Testing

/// The buy side of the order saga's holds: reserve on `SubmitOrder`, release on cancel, expiry
/// and rejection, including a close that arrives before the order.
@Suite("Buy order holds")
struct OrderHoldTests {
    let settlement: SettlementHarness

    /// B-co has 1,000,000 fen.
    init() throws {
        settlement = try SettlementHarness()
        try settlement.send(deposit("B-co", 1_000_000, ref: "in-1"), to: .settlementCommands)
    }

    @Test func aBuyOrderReservesItsValuePlusTheMostFeeItCanCost() throws {
        let events = try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        // 100 t x (5,000 + ceil(5,000 x 0.05%) = 3) fen
        #expect(events.payloads(FundsReserved.self) == [FundsReserved(orderId: "b1", accountId: "B-co", amount: 500_300)])
        #expect(events.first?.key == "B-co")
        let account = try #require(try settlement.account("B-co"))
        #expect(account.available == 499_700 && account.reserved == 500_300 && account.funds == 1_000_000)
        #expect(account.openReservations.map(\.orderId) == ["b1"])
        #expect(try settlement.totals().balanced)
    }

    @Test func sellOrdersAndMarketCommandsAreNotSettlementsToHold() throws {
        #expect(try settlement.send(sell("s1", by: "S-co", 100, at: 5_000), to: .marketOrders).isEmpty)
        #expect(try settlement.send(CancelOrder(orderId: "b1", accountId: "B-co", instrument: cea), to: .marketOrders).isEmpty)
        #expect(try settlement.send(OpenSession(instrument: cea, tradingDay: civil("2026-07-16")), to: .marketOrders).isEmpty)
        #expect(try settlement.send(CloseSession(instrument: cea, tradingDay: civil("2026-07-16")), to: .marketOrders).isEmpty)
    }

    @Test func refusedReservesAreAnsweredWithReserveRejected() throws {
        let unknown = try settlement.send(buy("b1", by: "X-co", 1, at: 5_000), to: .marketOrders)
        let tooMuch = try settlement.send(buy("b2", by: "B-co", 200, at: 5_000), to: .marketOrders)
        let rejected = (unknown + tooMuch).payloads(ReserveRejected.self)
        #expect(rejected.map(\.code) == ["unknown-account", "insufficient-funds"])
        #expect(rejected.map(\.orderId) == ["b1", "b2"])
        #expect(rejected.allSatisfy { $0.instrument == cea && !$0.reason.isEmpty })
        #expect((unknown + tooMuch).payloads(CommandRejected.self).isEmpty)
        #expect(try settlement.account("B-co")?.reserved == 0)
        // One answer per order id: the same order again (after a deposit) is not reserved.
        try settlement.send(deposit("B-co", 1_000_000, ref: "in-2"), to: .settlementCommands)
        #expect(try settlement.send(buy("b2", by: "B-co", 200, at: 5_000), to: .marketOrders).isEmpty)
    }

    @Test func aRepeatedBuyOrderReservesOnce() throws {
        try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        #expect(try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders).isEmpty)
        #expect(try settlement.account("B-co")?.reserved == 500_300)
    }

    @Test func cancelExpiryAndRejectionReleaseTheReservation() throws {
        try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        try settlement.send(buy("b2", by: "B-co", 10, at: 5_000), to: .marketOrders)
        try settlement.send(buy("b3", by: "B-co", 1, at: 5_000), to: .marketOrders)
        let cancelled = try settlement.send(OrderCancelled(orderId: "b1", accountId: "B-co", instrument: cea, remainingQuantity: 100),
                                            to: .matchingEvents)
        let expired = try settlement.send(OrderExpired(orderId: "b2", accountId: "B-co", instrument: cea, remainingQuantity: 10),
                                          to: .matchingEvents)
        let rejected = try settlement.send(OrderRejected(orderId: "b3", accountId: "B-co", code: "price-out-of-band",
                                                         reason: "too high", instrument: cea, hold: .placed), to: .matchingEvents)
        #expect((cancelled + expired + rejected).payloads(FundsReleased.self) == [
            FundsReleased(orderId: "b1", accountId: "B-co", amount: 500_300),
            FundsReleased(orderId: "b2", accountId: "B-co", amount: 50_030),
            FundsReleased(orderId: "b3", accountId: "B-co", amount: 5_003),
        ])
        let account = try #require(try settlement.account("B-co"))
        #expect(account.available == 1_000_000 && account.reserved == 0 && account.openReservations.isEmpty)
        struct Reservation: Decodable { var status: String; var closedBy: String?; var amount: Int64 }
        let b1 = try settlement.admin("/reservations/{orderId}", parameters: ["orderId": "b1"], as: Reservation.self).body
        #expect(b1?.status == "released" && b1?.closedBy == "cancelled" && b1?.amount == 0)
        // A second close of the same order releases nothing.
        #expect(try settlement.send(OrderExpired(orderId: "b1", accountId: "B-co", instrument: cea, remainingQuantity: 100),
                                    to: .matchingEvents).isEmpty)
        #expect(try settlement.totals().balanced)
    }

    @Test func aCloseBeforeTheOrderLeavesNothingHeld() throws {
        // Matching rejected the order on its rules before settlement read the SubmitOrder.
        let early = try settlement.send(OrderRejected(orderId: "b1", accountId: "B-co", code: "price-out-of-band",
                                                      reason: "outside the band", instrument: cea, hold: .notPlaced),
                                        to: .matchingEvents)
        #expect(early.isEmpty)
        let late = try settlement.send(buy("b1", by: "B-co", 100, at: 5_000), to: .marketOrders)
        #expect(late.payloads(FundsReserved.self).isEmpty)
        #expect(late.payloads(ReserveRejected.self).map(\.code) == ["order-closed"])
        #expect(try settlement.account("B-co")?.reserved == 0)
        // The same for a cancel (matching answers a cancel before the hold once the hold comes,
        // but an operator's or another matching's close may come first).
        try settlement.send(OrderCancelled(orderId: "b2", accountId: "B-co", instrument: cea, remainingQuantity: 5), to: .matchingEvents)
        #expect(try settlement.send(buy("b2", by: "B-co", 5, at: 5_000), to: .marketOrders).payloads(ReserveRejected.self).count == 1)
        #expect(try settlement.account("B-co")?.available == 1_000_000)
    }

    @Test func otherServicesEventsAreIgnoredAndMisroutedOnesDeadLettered() throws {
        #expect(try settlement.send(OrderAccepted(orderId: "b1", accountId: "B-co", instrument: cea, side: .buy, method: .listed,
                                                  quantity: 1, price: 5_000), to: .matchingEvents).isEmpty)
        #expect(try settlement.send(AllowancesFrozen(orderId: "s1", accountId: "S-co", instrument: cea, quantity: 1),
                                    to: .registryEvents).isEmpty)
        #expect(try settlement.send(EmissionsVerified(entityId: "S-co", year: 2025, tonnes: 10), to: .registryEvents).isEmpty)
        #expect(try settlement.send(CommandRejected(commandId: "x", commandType: "CancelOrder", code: "unknown-order",
                                                    reason: "none"), to: .matchingEvents).isEmpty)
        let misrouted = try settlement.send(buy("b9", by: "B-co", 1, at: 5_000), to: .registryEvents)
        #expect(misrouted.types == ["DeadLetter"])
        #expect(misrouted.first?.topic == "registry.events.dlq")
        #expect(try settlement.account("B-co")?.reserved == 0)
    }
}
