import Contract
import EcoTestKit
import Foundation
import GRDB
@testable import RegistryService
import Testing

/// The holdings rows are written back once per batch (`UnsavedHoldings`) instead of after every
/// journal entry. Nothing may tell the two apart: a market day applied as one batch leaves the
/// same holdings, journal and events as the same inputs applied one batch each.
@Suite("Holdings written back once per batch")
struct HoldingsWriteBackTests {
    /// Registration and allocation, sells that freeze, trades that transfer (the buyer's
    /// allowances acquired today are not sellable), a new trading day in the middle of the batch
    /// (they become sellable: the buyer sells some), a trade of that day and a cancel that
    /// unfreezes the rest.
    static let inputs = MixedInput.numbered("holdings-write-back", [
        (RegisterEntity(plant("S-co")), .registryCommands),
        (RegisterEntity(investor("B-co")), .registryCommands),
        (output("S-co", year: 2019, mwh: 1_000_000), .registryCommands),
        (AllocateAllowances(year: 2020, phase: .pre), .registryCommands),
        (SessionOpened(instrument: .cea, tradingDay: day("2026-07-16"), referencePrice: 5_000), .matchingEvents),
        (sell("O-1", by: "S-co", quantity: 1_000), .marketOrders),
        (sell("O-2", by: "S-co", quantity: 500), .marketOrders),
        (trade("T-1", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 400), .matchingEvents),
        (sell("O-x", by: "B-co", quantity: 100), .marketOrders),
        (trade("T-2", sellOrder: "O-1", seller: "S-co", buyer: "B-co", quantity: 600), .matchingEvents),
        (SessionOpened(instrument: .cea, tradingDay: day("2026-07-17"), referencePrice: 5_000), .matchingEvents),
        (sell("O-3", by: "B-co", quantity: 300), .marketOrders),
        (trade("T-3", sellOrder: "O-2", seller: "S-co", buyer: "B-co", quantity: 200, day: day("2026-07-17")), .matchingEvents),
        (OrderCancelled(orderId: "O-2", accountId: "S-co", instrument: .cea, remainingQuantity: 300), .matchingEvents),
    ])

    static func contents(_ registry: RegistryHarness) throws -> [String: [Row]] {
        var contents: [String: [Row]] = [:]
        let queries = [
            "holdings": "SELECT * FROM holdings ORDER BY entityId, instrument",
            "journal": "SELECT * FROM journal ORDER BY seq",
            "outbox": "SELECT eventId, topic, key, value FROM outbox ORDER BY seq",
        ]
        try registry.loop.store.read { db in
            for (table, sql) in queries { contents[table] = try Row.fetchAll(db, sql: sql) }
        }
        return contents
    }

    @Test func oneBatchLeavesWhatOneBatchPerInputLeaves() throws {
        let perInput = try RegistryHarness()
        for input in Self.inputs { try perInput.sendMixed([input]) }
        let oneBatch = try RegistryHarness()
        let events = try oneBatch.sendMixed(Self.inputs)

        let expected = try Self.contents(perInput)
        let actual = try Self.contents(oneBatch)
        for table in expected.keys.sorted() {
            #expect(actual[table] == expected[table], "table \(table)")
        }
        // The scenario reached what it is about: the buyer's same-day sale refused, its sale on
        // the next day frozen, the seller's rest unfrozen.
        #expect(events.payloads(FreezeRejected.self).map(\.orderId) == ["O-x"])
        #expect(events.payloads(AllowancesFrozen.self).map(\.orderId) == ["O-1", "O-2", "O-3"])
        #expect(events.payloads(AllowancesUnfrozen.self).map(\.quantity) == [300])
        let buyer = try oneBatch.holding("B-co")
        #expect(buyer.held == 1_200 && buyer.frozen == 300)
        let seller = try oneBatch.holding("S-co")
        #expect(seller.frozen == 0)
    }

    /// At every commit the stored holdings are the ones the journal replays to.
    @Test func theTableEqualsTheLedgerAfterEachBatch() throws {
        let registry = try RegistryHarness()
        for batch in stride(from: 0, to: Self.inputs.count, by: 4) {
            try registry.sendMixed(Array(Self.inputs[batch..<min(batch + 4, Self.inputs.count)]))
            let ledger = try registry.replayedLedger()
            for entity in ["S-co", "B-co"] {
                let stored = try registry.holding(entity)
                let holding = ledger.holding(of: entity, .cea)
                #expect(stored.held == Int64(holding.held) && stored.frozen == Int64(holding.frozen)
                        && stored.acquiredToday == Int64(holding.acquiredToday), "\(entity) after input \(batch)")
            }
        }
    }
}
