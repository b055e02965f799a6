import Contract
import Foundation
import RegistryDomain
@testable import RegistryService
import Testing

/// Holds and trades: freeze for a sell order, transfer on a trade exactly once, T+1, release
/// of what remains on cancel, expiry and rejection.
@Suite("Registry order saga")
struct OrderSagaTests {
    let registry: RegistryHarness

    /// S-co holds 613,900 t of CEA (pre-allocation); B-co is a registered buyer with none.
    init() throws {
        registry = try RegistryHarness()
        try registry.send(RegisterEntity(plant("S-co")))
        try registry.send(RegisterEntity(investor("B-co")))
        try registry.send(output("S-co", year: 2019, mwh: 1_000_000))
        try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        try registry.send(SessionOpened(instrument: .cea, tradingDay: day("2026-07-16"), referencePrice: 5_000),
                          to: .matchingEvents)
    }

    @Test func aSellOrderFreezesItsQuantity() throws {
        let events = try registry.send(sell("O-1", by: "S-co", quantity: 1_000), to: .marketOrders)
        #expect(events.payloads(AllowancesFrozen.self) == [AllowancesFrozen(orderId: "O-1", accountId: "S-co", instrument: .cea, quantity: 1_000)])
        #expect(events.first?.key == "S-co")
        let holding = try registry.holding("S-co")
        #expect(holding.frozen == 1_000)
        #expect(holding.held == 613_900)
        #expect(holding.sellable == 612_900)
        let holds = try registry.admin("/entities/{id}/holdings", parameters: ["id": "S-co"], as: Holdings.self).body?.openHolds
        #expect(holds == [HoldView(orderId: "O-1", instrument: "CEA", remaining: 1_000)])
    }

    @Test func buyOrdersAndSessionCommandsAreNotTheRegistrysToHold() throws {
        #expect(try registry.send(buy("O-b", by: "B-co", quantity: 10), to: .marketOrders).isEmpty)
        #expect(try registry.send(CancelOrder(orderId: "O-b", accountId: "B-co", instrument: .cea), to: .marketOrders).isEmpty)
        #expect(try registry.send(OpenSession(instrument: .cea, tradingDay: day("2026-07-17")), to: .marketOrders).isEmpty)
    }

    @Test func otherServicesRecordsOnItsTopicsAreIgnoredAndMisroutedOnesRefused() throws {
        #expect(try registry.send(CloseAuction(instrument: .cea), to: .marketOrders).isEmpty)
        #expect(try registry.send(OrderAccepted(orderId: "O-x", accountId: "S-co", instrument: .cea, side: .sell, method: .listed,
                                                quantity: 1, price: 5_000), to: .matchingEvents).isEmpty)
        let misrouted = try registry.send(RegisterEntity(plant("E-x")), to: .marketOrders)
        #expect(misrouted.payloads(CommandRejected.self).map(\.code) == ["wrong-topic"])
        #expect(misrouted.payloads(EntityRegistered.self).isEmpty)
    }

    @Test func freezeRefusalsGiveFreezeRejectedAndChangeNothing() throws {
        let tooMuch = try registry.send(sell("O-1", by: "S-co", quantity: 700_000), to: .marketOrders)
        let unknown = try registry.send(sell("O-2", by: "X-co", quantity: 1), to: .marketOrders)
        let none = try registry.send(sell("O-3", by: "B-co", quantity: 1), to: .marketOrders)
        let rejected = (tooMuch + unknown + none).payloads(FreezeRejected.self)
        #expect(rejected.map(\.code) == ["insufficient-sellable-allowances", "unknown-account", "insufficient-sellable-allowances"])
        #expect(rejected.map(\.orderId) == ["O-1", "O-2", "O-3"])
        #expect(rejected.allSatisfy { !$0.reason.isEmpty && $0.instrument == .cea })
        #expect((tooMuch + unknown + none).payloads(CommandRejected.self).isEmpty)
        #expect(try registry.holding("S-co").frozen == 0)
        #expect(try registry.count("SELECT COUNT(*) FROM journal WHERE kind = 'freeze'") == 0)
        #expect(try registry.totals().balanced)
    }

    @Test func aRepeatedSellOrderFreezesOnce() throws {
        try registry.send(sell("O-1", by: "S-co", quantity: 1_000), to: .marketOrders)
        let again = try registry.send(sell("O-1", by: "S-co", quantity: 1_000), to: .marketOrders)
        #expect(again.isEmpty)
        #expect(try registry.holding("S-co").frozen == 1_000)
    }

    @Test func aTradeMovesFrozenAllowancesToTheBuyerExactlyOnce() throws {
        try registry.send(sell("O-1", by: "S-co", quantity: 1_000), to: .marketOrders)
        let executed = trade("T-1", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 400)
        let first = try registry.send(executed, to: .matchingEvents)
        #expect(first.payloads(AllowancesTransferred.self) == [
            AllowancesTransferred(tradeId: "T-1", fromAccountId: "S-co", toAccountId: "B-co", instrument: .cea, quantity: 400),
        ])
        #expect(first.first?.key == "S-co")
        // The same trade again under a new event id, and the same event again: no second effect.
        let envelope = Envelope(command: executed, source: "matching")
        let repeats = try registry.sendAll([envelope, envelope], to: .matchingEvents)
        #expect(repeats.isEmpty)
        #expect(try registry.holding("B-co").held == 400)
        #expect(try registry.holding("S-co").held == 613_500)
        #expect(try registry.holding("S-co").frozen == 600)
        #expect(try registry.count("SELECT COUNT(*) FROM journal WHERE kind = 'transfer'") == 1)
        #expect(try registry.totals().balanced)
    }

    @Test func allowancesBoughtTodayAreSellableFromTheNextTradingDay() throws {
        try registry.send(sell("O-1", by: "S-co", quantity: 1_000), to: .marketOrders)
        try registry.send(trade("T-1", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 1_000, day: day("2026-07-16")),
                          to: .matchingEvents)
        #expect(try registry.holding("B-co").acquiredToday == 1_000)
        #expect(try registry.holding("B-co").sellable == 0)
        let sameDay = try registry.send(sell("O-2", by: "B-co", quantity: 1), to: .marketOrders)
        #expect(sameDay.payloads(FreezeRejected.self).map(\.code) == ["insufficient-sellable-allowances"])
        // Another instrument's session on the same day changes nothing.
        try registry.send(SessionOpened(instrument: .ccer, tradingDay: day("2026-07-16"), referencePrice: 3_000), to: .matchingEvents)
        #expect(try registry.send(sell("O-3", by: "B-co", quantity: 1), to: .marketOrders).payloads(FreezeRejected.self).count == 1)

        try registry.send(SessionOpened(instrument: .cea, tradingDay: day("2026-07-17"), referencePrice: 5_000), to: .matchingEvents)
        #expect(try registry.holding("B-co").acquiredToday == 0)
        let nextDay = try registry.send(sell("O-4", by: "B-co", quantity: 1_000), to: .marketOrders)
        #expect(nextDay.payloads(AllowancesFrozen.self).map(\.quantity) == [1_000])
        #expect(try registry.totals().tradingDay == "2026-07-17")
    }

    @Test func aTradeOfALaterDayStartsThatDay() throws {
        try registry.send(sell("O-1", by: "S-co", quantity: 10), to: .marketOrders)
        try registry.send(trade("T-1", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 10, day: day("2026-07-20")),
                          to: .matchingEvents)
        #expect(try registry.totals().tradingDay == "2026-07-20")
        #expect(try registry.holding("B-co").acquiredToday == 10)
    }

    @Test func cancellingAPartlyFilledOrderUnfreezesWhatRemains() throws {
        try registry.send(sell("O-1", by: "S-co", quantity: 1_000), to: .marketOrders)
        try registry.send(trade("T-1", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 300), to: .matchingEvents)
        let events = try registry.send(OrderCancelled(orderId: "O-1", accountId: "S-co", instrument: .cea, remainingQuantity: 700),
                                       to: .matchingEvents)
        #expect(events.payloads(AllowancesUnfrozen.self) == [AllowancesUnfrozen(orderId: "O-1", accountId: "S-co", instrument: .cea, quantity: 700)])
        #expect(try registry.holding("S-co").frozen == 0)
        #expect(try registry.holding("S-co").held == 613_600)
        // A second cancel or an expiry of the same order releases nothing more.
        let later = try registry.send(OrderExpired(orderId: "O-1", accountId: "S-co", instrument: .cea, remainingQuantity: 700),
                                      to: .matchingEvents)
        #expect(later.isEmpty)
        #expect(try registry.totals().balanced)
    }

    @Test func expiryAndRejectionWithAPlacedHoldRelease() throws {
        try registry.send(sell("O-1", by: "S-co", quantity: 100), to: .marketOrders)
        try registry.send(sell("O-2", by: "S-co", quantity: 200), to: .marketOrders)
        let expired = try registry.send(OrderExpired(orderId: "O-1", accountId: "S-co", instrument: .cea, remainingQuantity: 100),
                                        to: .matchingEvents)
        let rejected = try registry.send(OrderRejected(orderId: "O-2", accountId: "S-co", code: "price-band", reason: "outside the band",
                                                       instrument: .cea, hold: .placed), to: .matchingEvents)
        #expect(expired.payloads(AllowancesUnfrozen.self).map(\.quantity) == [100])
        #expect(rejected.payloads(AllowancesUnfrozen.self).map(\.quantity) == [200])
        #expect(try registry.holding("S-co").frozen == 0)
    }

    @Test func anOrderClosedBeforeItsSubmitOrderArrivesIsNeverFrozen() throws {
        let early = try registry.send(OrderRejected(orderId: "O-1", accountId: "S-co", code: "session-closed", reason: "closed",
                                                    instrument: .cea, hold: .notPlaced), to: .matchingEvents)
        #expect(early.isEmpty)
        let late = try registry.send(sell("O-1", by: "S-co", quantity: 100), to: .marketOrders)
        #expect(late.isEmpty)
        #expect(try registry.holding("S-co").frozen == 0)
    }

    @Test func aTradeThatDoesNotFitTheHoldsIsRefusedAndChangesNothing() throws {
        try registry.send(sell("O-1", by: "S-co", quantity: 100), to: .marketOrders)
        let noHold = try registry.send(trade("T-1", sellOrder: "O-9", seller: "S-co", buyer: "B-co", quantity: 10), to: .matchingEvents)
        let tooMuch = try registry.send(trade("T-2", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 101), to: .matchingEvents)
        let wrongSeller = try registry.send(trade("T-3", sellOrder: "O-1", seller: "B-co", buyer: "S-co", quantity: 1), to: .matchingEvents)
        let unknownBuyer = try registry.send(trade("T-4", sellOrder: "O-1", seller: "S-co", buyer: "X-co", quantity: 1), to: .matchingEvents)
        let codes = (noHold + tooMuch + wrongSeller + unknownBuyer).payloads(CommandRejected.self).map(\.code)
        #expect(codes == ["unknown-hold", "exceeds-hold", "hold-mismatch", "unknown-account"])
        #expect(try registry.holding("S-co").frozen == 100)
        #expect(try registry.holding("B-co").held == 0)
        #expect(try registry.count("SELECT COUNT(*) FROM journal WHERE kind = 'transfer'") == 0)
        // The refused trade id can still be delivered when it does fit.
        let fits = try registry.send(trade("T-2", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 100), to: .matchingEvents)
        #expect(fits.payloads(AllowancesTransferred.self).count == 1)
    }

    @Test func aRefusedTradeOfALaterDayDoesNotStartThatDay() throws {
        try registry.send(trade("T-1", sellOrder: "O-9", seller: "S-co", buyer: "B-co", quantity: 10, day: day("2026-08-01")),
                          to: .matchingEvents)
        #expect(try registry.totals().tradingDay == "2026-07-16")
        // Refused before anything was written: no second, careful pass over the batch.
        #expect(registry.loop.status.snapshot.carefulRetries == nil)
        #expect(registry.loop.status.snapshot.rejected == 1)
        // Memory is as it was: a same-day purchase still counts as today's.
        try registry.send(sell("O-1", by: "S-co", quantity: 10), to: .marketOrders)
        try registry.send(trade("T-2", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 10, day: day("2026-07-16")),
                          to: .matchingEvents)
        #expect(try registry.holding("B-co").acquiredToday == 10)
    }

    @Test func theJournalReplaysToTheSameLedgerAfterARestart() throws {
        try registry.send(sell("O-1", by: "S-co", quantity: 1_000), to: .marketOrders)
        try registry.send(trade("T-1", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 250), to: .matchingEvents)
        try registry.send(OrderCancelled(orderId: "O-1", accountId: "S-co", instrument: .cea, remainingQuantity: 750), to: .matchingEvents)
        let replayed = try registry.replayedLedger()
        #expect(replayed.invariantViolations.isEmpty)
        #expect(replayed.holding(of: "B-co", .cea) == Holding(held: 250, frozen: 0, acquiredToday: 250))
        #expect(replayed.holding(of: "S-co", .cea) == Holding(held: 613_650, frozen: 0, acquiredToday: 0))
        // A restarted handler rebuilds memory from the journal and keeps the guards.
        try registry.handler.restore(from: .init(registry.loop.store))
        let again = try registry.send(trade("T-1", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 250), to: .matchingEvents)
        #expect(again.isEmpty)
    }

    @Test func manyCyclesInOneBatchKeepTheBooksBalanced() throws {
        try registry.send(RegisterEntity(investor("B-2")))
        let orders = (0..<200).map { Envelope(command: sell("O-\($0)", by: "S-co", quantity: 10), source: "test") }
        try registry.sendAll(orders, to: .marketOrders)
        let trades = (0..<200).map {
            Envelope(command: trade("T-\($0)", sellOrder: "O-\($0)", seller: "S-co", buyer: $0 % 2 == 0 ? "B-co" : "B-2",
                                    quantity: $0 % 3 == 0 ? 10 : 7), source: "matching")
        }
        let events = try registry.sendAll(trades, to: .matchingEvents)
        #expect(events.payloads(AllowancesTransferred.self).count == 200)
        let cancels = (0..<200).map {
            Envelope(command: OrderCancelled(orderId: "O-\($0)", accountId: "S-co", instrument: .cea, remainingQuantity: 3),
                     source: "matching")
        }
        let released = try registry.sendAll(cancels, to: .matchingEvents).payloads(AllowancesUnfrozen.self)
        #expect(released.count == 133)
        let totals = try registry.totals()
        #expect(totals.balanced)
        #expect(totals.of("CEA")?.frozen == 0)
        #expect(try registry.replayedLedger().invariantViolations.isEmpty)
    }
}
