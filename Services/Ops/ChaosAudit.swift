import Contract
import EcoTestKit
import Foundation

/// The verdict of a chaos run, from every record on the services' event topics and their read
/// sides: each order ended once, each trade moved allowances and money once, nothing was
/// created or lost, and no business fact was emitted twice under two ids.
struct ChaosAudit {
    var report = ReconciliationReport()
    /// Events on the three market topics (copies included).
    var eventRecords = 0
    /// Records that appear more than once under the same id (re-published after a kill), all
    /// byte-identical when `report` passed.
    var republished = 0
    /// Business facts found under two or more ids; must be 0.
    var duplicatedEffects = 0
    /// Orders that never ended and trades whose delivery or payment never came; must be 0.
    var lost = 0
    /// Hostile records not answered as they must be; must be 0.
    var badRecordsUnanswered = 0
    var trades = 0
    var terminalOutcomes: [String: Int] = [:]

    /// - Parameters:
    ///   - events: readers of registry, matching and settlement events, read to the end.
    ///   - orders: every order the run submitted.
    ///   - allocated: tonnes allocated per plant, read from `AllowancesAllocated`.
    static func run(events: [TopicReader], orders: [SubmitOrder], market: ChaosMarket,
                    registry: ServiceProcess, settlement: ServiceProcess) async throws -> ChaosAudit {
        var audit = ChaosAudit()
        let records = events.flatMap(\.records)
        audit.eventRecords = records.count
        audit.checkCopies(records)
        audit.checkBusinessFacts(records)

        let payloads = Payloads(records)
        audit.trades = payloads.trades.count
        audit.checkOrders(orders, payloads)
        audit.checkTrades(payloads)
        try await audit.checkAllowances(payloads, market: market, registry: registry)
        try await audit.checkFunds(payloads, market: market, settlement: settlement)
        return audit
    }

    /// The same id must always carry the same bytes: a consumer drops a re-published copy by id,
    /// which is only safe if the copy is identical.
    mutating func checkCopies(_ records: [ObservedRecord]) {
        var first: [String: Data] = [:]
        var differing: [String] = []
        for record in records {
            guard let id = record.id else { continue }
            if let earlier = first[id] {
                republished += 1
                if earlier != record.record.value { differing.append(id) }
            } else {
                first[id] = record.record.value
            }
        }
        report.check("every event re-published after a crash is byte-identical to its first copy (\(republished) copies)",
                     differing.isEmpty, detail: "\(differing.count) ids with different bytes, e.g. \(differing.prefix(3))")
    }

    /// One business fact (an order's acceptance, a trade, a transfer, a settlement, a deposit...)
    /// must appear under exactly one event id.
    mutating func checkBusinessFacts(_ records: [ObservedRecord]) {
        var ids: [String: Set<String>] = [:]
        for record in records {
            guard let envelope = record.envelope, let id = record.id else { continue }
            ids[Self.factKey(envelope), default: []].insert(id)
        }
        let duplicated = ids.filter { $0.value.count > 1 }
        duplicatedEffects = duplicated.count
        report.check("no business fact appears under two event ids (\(ids.count) facts)", duplicated.isEmpty,
                     detail: "\(duplicated.count) facts, e.g. \(duplicated.keys.sorted().prefix(3))")
    }

    /// What makes two events the same fact: the business key where the contract has one, else
    /// the cause and the exact payload.
    static func factKey(_ envelope: IncomingEnvelope) -> String {
        let type = envelope.type.rawValue
        switch envelope.payload {
        case let event as TradeExecuted: return "\(type)/\(event.tradeId)"
        case let event as AllowancesTransferred: return "\(type)/\(event.tradeId)"
        case let event as TradeSettled: return "\(type)/\(event.tradeId)"
        case let event as OrderAccepted: return "\(type)/\(event.orderId)"
        case let event as OrderRejected: return "\(type)/\(event.orderId)"
        case let event as OrderCancelled: return "\(type)/\(event.orderId)"
        case let event as OrderExpired: return "\(type)/\(event.orderId)"
        case let event as AllowancesFrozen: return "\(type)/\(event.orderId)"
        case let event as FreezeRejected: return "\(type)/\(event.orderId)"
        case let event as FundsReserved: return "\(type)/\(event.orderId)"
        case let event as ReserveRejected: return "\(type)/\(event.orderId)"
        case let event as FundsDeposited: return "\(type)/\(event.reference)"
        case let event as EntityRegistered: return "\(type)/\(event.profile.entityId)"
        case let event as AllowancesAllocated: return "\(type)/\(event.entityId)/\(event.year)/\(event.phase.rawValue)"
        case let event as SessionOpened: return "\(type)/\(event.instrument.rawValue)/\(event.tradingDay)"
        case let event as SessionClosed: return "\(type)/\(event.instrument.rawValue)/\(event.tradingDay)"
        default:
            // The same cause and payload; the id and the time of emission are what may differ.
            var header = envelope.header
            header.id = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            header.occurredAt = Timestamp(millisecondsSinceEpoch: 0)
            return String(decoding: EventCodec().encode(header: header, payload: envelope.payload), as: UTF8.self)
        }
    }

    /// Tonnes traded per order id, both sides of each trade.
    static func filledQuantities(_ trades: some Sequence<TradeExecuted>) -> [String: Int64] {
        var filled: [String: Int64] = [:]
        for trade in trades {
            filled[trade.buyOrderId, default: 0] += trade.quantity
            filled[trade.sellOrderId, default: 0] += trade.quantity
        }
        return filled
    }

    /// Every order ends exactly once: rejected, cancelled, expired at the close, or filled.
    private mutating func checkOrders(_ orders: [SubmitOrder], _ payloads: Payloads) {
        let filled = Self.filledQuantities(payloads.trades.values)
        var wrong: [String] = []
        var overfilled: [String] = []
        for order in orders {
            let done = filled[order.orderId, default: 0]
            var outcomes: [String] = []
            for _ in 0..<payloads.count(OrderRejected.self, order.orderId) { outcomes.append("rejected") }
            for _ in 0..<payloads.count(OrderCancelled.self, order.orderId) { outcomes.append("cancelled") }
            for _ in 0..<payloads.count(OrderExpired.self, order.orderId) { outcomes.append("expired") }
            if done == order.quantity { outcomes.append("filled") }
            if done > order.quantity || (done > 0 && outcomes.contains("rejected")) { overfilled.append(order.orderId) }
            if outcomes.isEmpty { lost += 1 }
            if outcomes.count == 1 { terminalOutcomes[outcomes[0], default: 0] += 1 } else { wrong.append("\(order.orderId)=\(outcomes)") }
        }
        if !wrong.isEmpty {
            say("    orders without exactly one outcome, with every event that names them:")
            for entry in wrong.prefix(5) {
                let id = String(entry.prefix { $0 != "=" })
                say("      \(entry): " + payloads.trail(of: id).joined(separator: ", "))
            }
        }
        report.check("every order has exactly one terminal outcome (\(orders.count) orders: \(terminalOutcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))",
                     wrong.isEmpty, detail: "\(wrong.count) orders, e.g. \(wrong.prefix(5))")
        report.check("no order traded more than its quantity or after a rejection", overfilled.isEmpty,
                     detail: "\(overfilled.prefix(5))")
    }

    /// Each trade: one delivery of allowances and one settlement, for the traded amounts.
    private mutating func checkTrades(_ payloads: Payloads) {
        let tradeIds = Set(payloads.trades.keys)
        let delivered = Set(payloads.transfers.keys)
        let settled = Set(payloads.settled.keys)
        report.check("every trade delivered exactly once (\(delivered.count) of \(tradeIds.count))", delivered == tradeIds,
                     detail: "missing \(tradeIds.subtracting(delivered).sorted().prefix(5)), unknown \(delivered.subtracting(tradeIds).sorted().prefix(5))")
        report.check("every trade settled exactly once (\(settled.count) of \(tradeIds.count))", settled == tradeIds,
                     detail: "missing \(tradeIds.subtracting(settled).sorted().prefix(5)), unknown \(settled.subtracting(tradeIds).sorted().prefix(5))")
        lost += tradeIds.subtracting(delivered).count + tradeIds.subtracting(settled).count
        let wrongAmounts = payloads.trades.values.filter { trade in
            payloads.transfers[trade.tradeId].map { $0.quantity != trade.quantity } ?? false
                || payloads.settled[trade.tradeId].map { $0.value != trade.price * trade.quantity } ?? false
        }
        report.check("each delivery and payment is for the traded tonnes and value", wrongAmounts.isEmpty,
                     detail: "\(wrongAmounts.prefix(5).map(\.tradeId))")
    }

    /// Allowances: nothing created or lost market-wide, and each account holds exactly its
    /// allocation plus what it bought minus what it sold, with nothing left frozen.
    private mutating func checkAllowances(_ payloads: Payloads, market: ChaosMarket, registry: ServiceProcess) async throws {
        let totals = try await Self.json(registry, "/totals")
        let cea = (totals["instruments"] as? [[String: Any]])?.first { $0["instrument"] as? String == "CEA" } ?? [:]
        let allocated = payloads.allocations.values.reduce(0, +)
        let issued = Self.int(cea["issued"]), held = Self.int(cea["held"]), frozen = Self.int(cea["frozen"])
        report.check("registry books balance (/totals)", totals["balanced"] as? Bool == true,
                     detail: "\(totals["problems"] ?? totals)")
        report.check("allowances conserved: \(allocated) t allocated = \(issued) t issued = \(held) t held, \(frozen) t still frozen",
                     allocated == issued && issued == held && frozen == 0 && allocated > 0)
        var expected = payloads.allocations
        for trade in payloads.trades.values {
            expected[trade.buyerAccountId, default: 0] += trade.quantity
            expected[trade.sellerAccountId, default: 0] -= trade.quantity
        }
        var wrong: [String] = []
        for account in market.accounts {
            let body = try await Self.json(registry, "/entities/\(account.entityId)/holdings")
            let holding = (body["holdings"] as? [[String: Any]])?.first { $0["instrument"] as? String == "CEA" }
            let actual = Self.int(holding?["held"])
            let want = expected[account.entityId, default: 0]
            if actual != want || Self.int(holding?["frozen"]) != 0 { wrong.append("\(account.entityId): \(actual) t held, \(want) t expected") }
        }
        report.check("each of \(market.accounts.count) accounts holds allocation + bought - sold, none frozen", wrong.isEmpty,
                     detail: "\(wrong.count) accounts, e.g. \(wrong.prefix(3))")
    }

    /// Funds: deposits = what accounts hold + fees, and each account holds its deposit plus sales
    /// minus purchases minus its fees, with nothing left reserved.
    private mutating func checkFunds(_ payloads: Payloads, market: ChaosMarket, settlement: ServiceProcess) async throws {
        let totals = try await Self.json(settlement, "/totals")
        let deposited = payloads.deposits.values.reduce(0, +)
        let fees = payloads.settled.values.reduce(Int64(0)) { $0 + $1.buyerFee + $1.sellerFee }
        report.check("settlement books balance (/totals)", totals["balanced"] as? Bool == true,
                     detail: "\(totals["problems"] ?? totals)")
        let funds = Self.int(totals["participantFunds"]), feeAccount = Self.int(totals["feeAccount"])
        report.check("funds conserved: \(deposited) fen deposited = \(funds) fen held + \(feeAccount) fen fees; \(Self.int(totals["reserved"])) fen still reserved",
                     deposited == Self.int(totals["deposited"]) && funds + feeAccount == deposited && feeAccount == fees
                         && Self.int(totals["reserved"]) == 0 && deposited > 0,
                     detail: "fees from TradeSettled \(fees)")
        var expected = payloads.deposits
        for settled in payloads.settled.values {
            expected[settled.buyerAccountId, default: 0] -= settled.value + settled.buyerFee
            expected[settled.sellerAccountId, default: 0] += settled.value - settled.sellerFee
        }
        var wrong: [String] = []
        for account in market.accounts {
            let body = try await Self.json(settlement, "/accounts/\(account.entityId)")
            let actual = Self.int(body["funds"])
            let want = expected[account.entityId, default: 0]
            if actual != want || Self.int(body["reserved"]) != 0 { wrong.append("\(account.entityId): \(actual) fen, \(want) fen expected") }
        }
        report.check("each of \(market.accounts.count) accounts holds deposit + sales - purchases - fees, none reserved",
                     wrong.isEmpty, detail: "\(wrong.count) accounts, e.g. \(wrong.prefix(3))")
    }

    static func json(_ service: ServiceProcess, _ path: String) async throws -> [String: Any] {
        let (status, body) = try await service.admin(path)
        guard status == 200, let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw DemoFailure("\(service.name) \(path): HTTP \(status)")
        }
        return object
    }

    static func int(_ value: Any?) -> Int64 { (value as? NSNumber)?.int64Value ?? 0 }
}

/// The payloads an audit looks at, one per business key (duplicates are checked separately).
private struct Payloads {
    var trades: [String: TradeExecuted] = [:]
    var transfers: [String: AllowancesTransferred] = [:]
    var settled: [String: TradeSettled] = [:]
    var allocations: [String: Int64] = [:]
    var deposits: [String: Int64] = [:]
    private var outcomes: [String: Int] = [:]
    private var seen: Set<String> = []
    /// Every record that names an order: "topic[partition]@offset Type".
    private var byOrder: [String: [String]] = [:]

    init(_ records: [ObservedRecord]) {
        for record in records {
            for orderId in record.envelope.map({ Self.orderIds(of: $0.payload) }) ?? [] {
                byOrder[orderId, default: []].append("\(record.record.topic)[\(record.record.partition)]@\(record.record.offset) \(record.type ?? "?")")
            }
            guard let envelope = record.envelope, let id = record.id, seen.insert(id).inserted else { continue }
            switch envelope.payload {
            case let trade as TradeExecuted: trades[trade.tradeId] = trade
            case let transfer as AllowancesTransferred: transfers[transfer.tradeId] = transfer
            case let done as TradeSettled: settled[done.tradeId] = done
            case let allocation as AllowancesAllocated: allocations[allocation.entityId, default: 0] += allocation.quantity
            case let deposit as FundsDeposited: deposits[deposit.accountId, default: 0] += deposit.amount
            case let event as OrderRejected: outcomes["\(OrderRejected.eventType.rawValue)/\(event.orderId)", default: 0] += 1
            case let event as OrderCancelled: outcomes["\(OrderCancelled.eventType.rawValue)/\(event.orderId)", default: 0] += 1
            case let event as OrderExpired: outcomes["\(OrderExpired.eventType.rawValue)/\(event.orderId)", default: 0] += 1
            default: break
            }
        }
    }

    func trail(of orderId: String) -> [String] { byOrder[orderId] ?? ["no events"] }

    private static func orderIds(of payload: any EventPayload) -> [String] {
        if let trade = payload as? TradeExecuted { return [trade.buyOrderId, trade.sellOrderId] }
        let id: String? = switch payload {
        case let event as OrderAccepted: event.orderId
        case let event as OrderRejected: event.orderId
        case let event as OrderCancelled: event.orderId
        case let event as OrderExpired: event.orderId
        case let event as AllowancesFrozen: event.orderId
        case let event as AllowancesUnfrozen: event.orderId
        case let event as FreezeRejected: event.orderId
        case let event as FundsReserved: event.orderId
        case let event as FundsReleased: event.orderId
        case let event as ReserveRejected: event.orderId
        default: nil
        }
        return id.map { [$0] } ?? []
    }

    func count<P: EventPayload>(_: P.Type, _ orderId: String) -> Int { outcomes["\(P.eventType.rawValue)/\(orderId)", default: 0] }
}
