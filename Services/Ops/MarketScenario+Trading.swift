import Contract
import Foundation

extension MarketScenario {
    var traders: (sellers: [EntityProfile], buyers: [EntityProfile]) {
        let count = max(2, min(40, data.powerPlants.count / 4))
        return (Array(data.powerPlants.prefix(count)), Array(data.powerPlants.dropFirst(count).prefix(count)))
    }

    /// One trading day: deposits, listed orders from many participants, a block trade, a one-way
    /// auction, the close, statements and reconciliation.
    mutating func trade(_ result: inout MarketResult) async throws {
        let (sellers, buyers) = traders
        progress.step("depositing funds for \(buyers.count) buyers and opening the \(day) CEA session")
        try await send(buyers.map { DepositFunds(accountId: $0.entityId, amount: 20_000_000_000, reference: "demo-\(day)-\($0.entityId)") },
                       to: .settlementCommands)
        try await log.wait("deposits", for: buyers.count) { log.settlement.payloads(FundsDeposited.self).count }
        result.deposits = log.settlement.payloads(FundsDeposited.self).reduce(0) { $0 + $1.amount }
        try await send([OpenSession(instrument: .cea, tradingDay: day, referencePrice: 5_800)], to: .marketOrders)
        try await log.wait("session opened", for: 1) { log.matching.payloads(SessionOpened.self).count }

        let listedCount = data.powerPlants.count > 500 ? 1_000 : 200
        progress.step("trading: \(listedCount) listed orders, a block trade and a one-way auction")
        var orders: [SubmitOrder] = []
        for index in 0..<listedCount {
            let sell = index % 2 == 0
            let account = sell ? sellers[Int.random(in: 0..<sellers.count, using: &random)]
                               : buyers[Int.random(in: 0..<buyers.count, using: &random)]
            orders.append(SubmitOrder(orderId: String(format: "L-%05d", index), accountId: account.entityId, instrument: .cea,
                                      side: sell ? .sell : .buy, method: .listed,
                                      quantity: Int64.random(in: 1...50, using: &random) * 100,
                                      price: sell ? Int64.random(in: 5_750...5_850, using: &random)
                                                  : Int64.random(in: 5_760...5_900, using: &random)))
        }
        // A block agreement: a quote to a named counterparty, accepted by it.
        orders.append(SubmitOrder(orderId: "B-SELL", accountId: sellers[0].entityId, instrument: .cea, side: .sell, method: .block,
                                  quantity: 120_000, price: 5_950, counterpartyId: buyers[0].entityId))
        orders.append(SubmitOrder(orderId: "B-BUY", accountId: buyers[0].entityId, instrument: .cea, side: .buy, method: .block,
                                  quantity: 120_000, price: 5_950, counterpartyId: sellers[0].entityId))
        // A one-way auction: one seller offers (its hold must be in place before bids arrive),
        // buyers bid, and at the window's close the quantity goes by price then time.
        let offer = SubmitOrder(orderId: "A-OFFER", accountId: sellers[1].entityId, instrument: .cea, side: .sell,
                                method: .auction, quantity: 50_000, price: 5_600)
        let bids = buyers.dropFirst().prefix(5).enumerated().map { index, buyer in
            SubmitOrder(orderId: "A-BID-\(index + 1)", accountId: buyer.entityId, instrument: .cea, side: .buy,
                        method: .auction, quantity: 15_000, price: 5_650 + Int64(index) * 60)
        }
        try await send([offer], to: .marketOrders)
        try await log.wait("auction opened", for: 1) {
            log.matching.payloads(OrderAccepted.self).filter { $0.orderId == "A-OFFER" }.count
                + log.matching.payloads(OrderRejected.self).filter { $0.orderId == "A-OFFER" }.count
        }
        orders.append(contentsOf: bids)
        try await send(orders, to: .marketOrders)
        let ids = Set(orders.map(\.orderId) + [offer.orderId])
        try await log.wait("orders answered", for: ids.count) {
            Set(log.matching.payloads(OrderAccepted.self).map(\.orderId) + log.matching.payloads(OrderRejected.self).map(\.orderId))
                .intersection(ids).count
        }
        try await send([CloseAuction(instrument: .cea)], to: .marketOrders)
        try await log.settle(log.matching)
        let executed = log.matching.payloads(TradeExecuted.self).count
        try await log.wait("trades settled (delivery versus payment)", for: executed) { log.settlement.payloads(TradeSettled.self).count }

        progress.step("closing the session: expiries, closing price, statements, reconciliation")
        try await send([CloseSession(instrument: .cea, tradingDay: day)], to: .marketOrders)
        try await log.wait("session closed", for: 1) { log.matching.payloads(SessionClosed.self).count }
        try await log.wait("reconciliation", for: 1, timeout: 60) { log.settlement.payloads(ReconciliationCompleted.self).count }
        try await log.settle(log.settlement)
        try await log.settle(log.registry)
        result.accepted = log.matching.payloads(OrderAccepted.self).count
        for rejection in log.matching.payloads(OrderRejected.self) { result.rejected[rejection.code, default: 0] += 1 }
        result.trades = log.matching.payloads(TradeExecuted.self)
        result.settled = log.settlement.payloads(TradeSettled.self)
        result.session = log.matching.payloads(SessionClosed.self).last
        result.statements = log.settlement.payloads(StatementIssued.self).count
        result.reconciliation = log.settlement.payloads(ReconciliationCompleted.self).last
    }

    /// Verified emissions, surrenders and the compliance assessment of the year.
    mutating func comply(_ result: inout MarketResult) async throws {
        let plants = data.powerPlants
        progress.step("verifying \(year) emissions, surrendering allowances and assessing compliance")
        let allocated = Dictionary(log.registry.payloads(AllowancesAllocated.self).filter { $0.phase == .final }
            .map { ($0.entityId, $0.quantity) }, uniquingKeysWith: { $1 })
        var traded: [String: Int64] = [:]
        for trade in result.trades {
            traded[trade.buyerAccountId, default: 0] += trade.quantity
            traded[trade.sellerAccountId, default: 0] -= trade.quantity
        }
        var verified: [SubmitVerifiedEmissions] = []
        var surrenders: [SurrenderAllowances] = []
        for plant in plants {
            guard let allowance = allocated[plant.entityId], allowance > 0 else { continue }
            let tonnes = allowance * Int64.random(in: 85...106, using: &random) / 100
            verified.append(SubmitVerifiedEmissions(entityId: plant.entityId, year: year, tonnes: tonnes))
            // Some entities surrender late (only part of what they owe), so the assessment shows shortfalls.
            let holding = allowance + traded[plant.entityId, default: 0]
            let share: Int64 = Int.random(in: 0..<10, using: &random) == 0 ? 80 : 100
            let quantity = min(tonnes, holding) * share / 100
            if quantity > 0 {
                surrenders.append(SurrenderAllowances(entityId: plant.entityId, year: year, instrument: .cea, quantity: quantity))
            }
        }
        try await send(verified, to: .registryCommands)
        try await log.wait("emissions verified", for: verified.count) { log.registry.payloads(EmissionsVerified.self).count }
        try await send(surrenders, to: .registryCommands)
        try await log.wait("surrenders", for: surrenders.count) {
            log.registry.payloads(AllowancesSurrendered.self).count
                + log.registry.payloads(CommandRejected.self).filter { $0.commandType == "SurrenderAllowances" }.count
        }
        try await send([AssessCompliance(year: year)], to: .registryCommands)
        try await log.wait("compliance assessed", for: verified.count) { log.registry.payloads(ComplianceAssessed.self).count }
        for assessment in log.registry.payloads(ComplianceAssessed.self) {
            result.compliance[assessment.status, default: 0] += 1
            result.shortfallTonnes += assessment.shortfall
        }
    }
}
