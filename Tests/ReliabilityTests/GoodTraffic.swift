import Contract
import EcoTestKit
import Foundation
import Testing

/// A small trading day sent among the hostile records, and what it must leave behind: three
/// plants, an investor, two more plants, allocations, deposits, a withdrawal, two trades and
/// station readings. Every expected value is computed from these commands alone.
enum GoodTraffic {
    static let seller = "S-co", buyer = "B-co", mallory = "M-co"
    static let trades: [(buy: String, sell: String, price: Int64, quantity: Int64)] = [("b1", "s1", 5_000, 1_000), ("b2", "s2", 5_010, 500)]
    static let deposits: [String: Int64] = [buyer: 10_000_000, mallory: 1_000_000]
    static let withdrawal: Int64 = 100_000
    static let stations = ["R-1", "R-2", "R-3"]

    static func register(_ fixture: ReliabilityFixture) async throws -> [String] {
        let profiles = [plant(seller, serial: 11), plant(mallory, serial: 12), investor(buyer, serial: 13),
                        plant("P-1", serial: 14), plant("P-2", serial: 15), plant("P-3", serial: 16)]
        for profile in profiles { try await fixture.writer.send(RegisterEntity(profile), to: .registryCommands, source: "ops") }
        let ids = Set(profiles.map(\.entityId))
        try await fixture.reader(.registryEvents).awaitCount(profiles.count, timeout: .seconds(60)) {
            ($0.payload(EntityRegistered.self)).map { ids.contains($0.profile.entityId) } ?? false
        }
        return profiles.map(\.entityId).sorted()
    }

    /// Outputs for S-co and M-co, then the pre-allocation of 2020; returns what each got.
    static func allocate(_ fixture: ReliabilityFixture) async throws -> [String: Int64] {
        for (entity, output) in [(seller, Int64(1_000_000)), (mallory, Int64(800_000))] {
            try await fixture.writer.send(RecordUnitOutput(entityId: entity, unitId: "U1", year: 2019, electricityMWh: output, heatGJ: 0,
                                                           loadRate: 0.9, heatSupplyRatio: 0), to: .registryCommands, source: "ops")
        }
        for entity in [seller, mallory] {
            try await fixture.eventually("\(entity)'s output is recorded", timeout: .seconds(60)) {
                let (status, body) = try await fixture.registry.admin("/entities/\(entity)/outputs")
                return status == 200 && String(decoding: body, as: UTF8.self).contains("2019")
            }
        }
        try await fixture.writer.send(AllocateAllowances(year: 2020, phase: .pre), to: .registryCommands, source: "ops")
        var allocated: [String: Int64] = [:]
        for entity in [seller, mallory] {
            allocated[entity] = try await fixture.reader(.registryEvents).await(AllowancesAllocated.self, timeout: .seconds(60)) {
                $0.entityId == entity
            }.quantity
        }
        return allocated
    }

    /// Deposits (the buyer's sent twice under one envelope id: a bank's retry), one withdrawal.
    static func fund(_ fixture: ReliabilityFixture) async throws {
        let retried = Envelope(command: DepositFunds(accountId: buyer, amount: deposits[buyer] ?? 0, reference: "bank-b"), source: "bank")
        try await fixture.writer.send(retried, to: .settlementCommands)
        try await fixture.writer.send(DepositFunds(accountId: mallory, amount: deposits[mallory] ?? 0, reference: "bank-m"),
                                      to: .settlementCommands, source: "bank")
        try await fixture.writer.send(retried, to: .settlementCommands)
        let events = try fixture.reader(.settlementEvents)
        for account in [buyer, mallory] {
            try await events.await(FundsDeposited.self, timeout: .seconds(60)) { $0.accountId == account }
        }
        try await fixture.writer.send(WithdrawFunds(accountId: buyer, amount: withdrawal, reference: "bank-w"), to: .settlementCommands,
                                      source: "bank")
        try await events.await(FundsWithdrawn.self, timeout: .seconds(60)) { $0.accountId == buyer }
    }

    static func openSession(_ fixture: ReliabilityFixture) async throws {
        try await fixture.writer.send(OpenSession(instrument: .cea, tradingDay: day16, referencePrice: 5_000), to: .marketOrders, source: "ops")
        try await fixture.reader(.matchingEvents).await(SessionOpened.self, timeout: .seconds(60))
    }

    /// Two sells, each taken in full by a crossing buy (so no good order rests afterwards).
    static func trade(_ fixture: ReliabilityFixture, interleaving blast: () async throws -> Void) async throws {
        let events = try fixture.reader(.matchingEvents)
        for (index, trade) in trades.enumerated() {
            try await fixture.writer.send(order(trade.sell, .sell, by: seller, trade.quantity, at: trade.price), to: .marketOrders,
                                          source: "participant")
            try await events.await(OrderAccepted.self, timeout: .seconds(60)) { $0.orderId == trade.sell }
            if index == 0 { try await blast() }
            try await fixture.writer.send(order(trade.buy, .buy, by: buyer, trade.quantity, at: trade.price + 10), to: .marketOrders,
                                          source: "participant")
        }
        try await fixture.reader(.settlementEvents).awaitCount(trades.count, timeout: .seconds(60)) { $0.type == "TradeSettled" }
    }

    static func observe(_ fixture: ReliabilityFixture, at now: Timestamp) async throws {
        let hour = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch / 3_600_000 * 3_600_000)
        for (index, station) in stations.enumerated() {
            try await fixture.writer.send(AirQualityObserved(district: "wuhou", stationId: station, observedAt: hour,
                                                             o3OneHour: 150 + Double(index), o3EightHour: 120),
                                          to: .airObservations, source: "monitoring")
        }
    }

    static func closeSession(_ fixture: ReliabilityFixture) async throws {
        try await fixture.writer.send(CloseSession(instrument: .cea, tradingDay: day16), to: .marketOrders, source: "ops")
        try await fixture.reader(.matchingEvents).await(SessionClosed.self, timeout: .seconds(60))
    }

    /// Registry, matching, settlement and air-alert hold exactly what the good traffic made.
    static func checkEffects(_ fixture: ReliabilityFixture, entities: [String], allocated: [String: Int64]) async throws {
        let page: EntityPage = try await fixture.admin(fixture.registry, "/entities")
        #expect(page.total == entities.count && page.entities.map(\.profile.entityId).sorted() == entities, "no hostile entity registered")

        let executed = try fixture.reader(.matchingEvents).payloads(TradeExecuted.self)
        #expect(executed.map { "\($0.buyOrderId)/\($0.sellOrderId)@\($0.price)x\($0.quantity)" }
            == trades.map { "\($0.buy)/\($0.sell)@\($0.price)x\($0.quantity)" }, "exactly the good trades")
        let settled = try fixture.reader(.settlementEvents).payloads(TradeSettled.self)
        #expect(settled.map(\.tradeId) == executed.map(\.tradeId), "each trade settles exactly once")
        #expect(settled.map(\.value) == trades.map { $0.price * $0.quantity })
        let traded = trades.reduce(Int64(0)) { $0 + $1.quantity }
        let buyerFees = settled.reduce(Int64(0)) { $0 + $1.buyerFee }, sellerFees = settled.reduce(Int64(0)) { $0 + $1.sellerFee }
        let value = settled.reduce(Int64(0)) { $0 + $1.value }

        try await fixture.eventually("every hold is released", timeout: .seconds(60)) {
            let totals: FundsTotals = try await fixture.admin(fixture.settlement, "/totals")
            let mallory: HoldingsBody = try await fixture.admin(fixture.registry, "/entities/\(Self.mallory)/holdings")
            return totals.openReservations == 0 && mallory.cea?.frozen == 0
        }
        for (entity, held) in [(seller, (allocated[seller] ?? 0) - traded), (buyer, traded), (mallory, allocated[mallory] ?? 0)] {
            let holdings: HoldingsBody = try await fixture.admin(fixture.registry, "/entities/\(entity)/holdings")
            #expect(holdings.cea?.held ?? 0 == held && holdings.cea?.frozen ?? 0 == 0, "\(entity): \(String(describing: holdings.cea))")
        }
        #expect(try await fixture.admin(fixture.registry, "/totals", as: RegistryTotals.self).balanced)

        let expected: [String: Int64] = [
            buyer: (deposits[buyer] ?? 0) - withdrawal - value - buyerFees,
            seller: value - sellerFees,
            mallory: deposits[mallory] ?? 0,
        ]
        for (account, available) in expected {
            let view: AccountView = try await fixture.admin(fixture.settlement, "/accounts/\(account)")
            #expect(view.available == available && view.reserved == 0, "\(account): \(view)")
        }
        let totals: FundsTotals = try await fixture.admin(fixture.settlement, "/totals")
        #expect(totals.deposited == deposits.values.reduce(0, +) && totals.withdrawn == withdrawal)
        #expect(totals.feesCharged == buyerFees + sellerFees && totals.feeAccount == totals.feesCharged)
        #expect(totals.balanced, "\(totals.problems)")

        for station in stations {
            let body: StationBody = try await fixture.admin(fixture.airAlert, "/observations/\(station)")
            #expect(body.readings == 1, "\(station)")
        }
    }
}

struct StationBody: Decodable {
    var readings: Int
}
