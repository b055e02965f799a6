import Contract
import Foundation
import GRDB
import ServiceRuntime
import SettlementDomain
import Store

/// Settlement's read-only admin routes. Everything comes from SQLite (what is committed), not
/// from the ledger in memory, which runs ahead within a batch.
struct SettlementReadSide: Sendable {
    let store: EventStoreReader
    let rules: SettlementRules
    /// How the ledger in memory was last rebuilt (the one thing here not read from SQLite).
    let lastRestore: @Sendable () -> RestoreReport?

    var routes: [AdminRoute] {
        [
            AdminRoute("/accounts/{id}", summary: "an account's balances (available, reserved, withdrawable) and open reservations") { request in
                let id = request.parameters["id"] ?? ""
                guard let view = try store.read({ try SettlementQueries.account($0, id) }) else { return .notFound("account \(id)") }
                return .json(view)
            },
            AdminRoute("/accounts/{id}/ledger", summary: "an account's journal entries, newest first (?before=SEQ&limit=N, at most 1000)") { request in
                let id = request.parameters["id"] ?? ""
                let before = Int64(request.query["before"] ?? "") ?? Int64.max
                let limit = min(max(Int(request.query["limit"] ?? "") ?? 100, 1), 1000)
                guard let view = try store.read({ try SettlementQueries.ledger($0, id, before: before, limit: limit) }) else {
                    return .notFound("account \(id)")
                }
                return .json(view)
            },
            AdminRoute("/reservations/{orderId}", summary: "a buy order's reservation: terms, filled, held, status") { request in
                let id = request.parameters["orderId"] ?? ""
                guard let view = try store.read({ try SettlementQueries.reservation($0, id) }) else {
                    return .notFound("reservation of order \(id)")
                }
                return .json(view)
            },
            AdminRoute("/trades/{tradeId}", summary: "a trade's settlement: both legs, settled, alarmed") { request in
                let id = request.parameters["tradeId"] ?? ""
                guard let record = try store.read({ try TradeRecords.find($0, TradeID(id)) }) else { return .notFound("trade \(id)") }
                return .json(TradeView(record))
            },
            AdminRoute("/reconciliation/{tradingDay}", summary: "a trading day's reconciliation: status, breaks, totals") { request in
                let day = request.parameters["tradingDay"] ?? ""
                guard let record = try store.read({ try ReconciliationStore.find($0, day) }) else {
                    return .notFound("reconciliation of \(day)")
                }
                return .json(record)
            },
            AdminRoute("/alarms", summary: "settlement alarms, newest first (?code=leg-overdue&limit=N, at most 1000)") { request in
                let limit = min(max(Int(request.query["limit"] ?? "") ?? 100, 1), 1000)
                return .json(try store.read { db in
                    AlarmsView(total: try AlarmStore.count(db),
                               alarms: try AlarmStore.latest(db, limit: limit, code: request.query["code"]))
                })
            },
            AdminRoute("/totals", summary: "market-wide funds: deposits - withdrawals - fees against what accounts hold") { _ in
                .json(try store.read { try SettlementQueries.totals($0, rules: rules) })
            },
            .ledger(store: store, journalEntries: { try JournalStore.count($0) }, lastRestore: lastRestore),
        ]
    }
}

struct AccountView: Encodable {
    var accountId: String
    var available: Int64
    var reserved: Int64
    var withdrawable: Int64
    /// Today's net sale proceeds, withdrawable from the next trading day.
    var proceedsToday: Int64
    /// available + reserved.
    var funds: Int64
    /// Deposits minus withdrawals.
    var netDeposits: Int64
    var openReservations: [ReservationView]
}

struct ReservationView: Encodable {
    var orderId: String
    var accountId: String
    var quantity: Int64
    var limitPrice: Int64
    var feePpm: Int64
    var filled: Int64
    /// Fen still held.
    var amount: Int64
    /// open, filled or released.
    var status: String
    var closedBy: String?
    var tradingDay: String?
}

struct LedgerView: Encodable {
    var accountId: String
    var entries: [EntryView]
}

struct EntryView: Encodable {
    var seq: Int64
    var kind: String
    var amount: Int64
    /// What the entry changed in the account's funds (available + reserved), in fen.
    var fundsChange: Int64
    var debit: String
    var credit: String
    var reference: String
    var tradingDay: String?
    var quantity: Int64?
    var price: Int64?
}

struct TradeView: Encodable {
    struct FundsLegView: Encodable {
        var done: Bool
        var at: Int64?
        var value: Int64?
        var buyerFee: Int64?
        var sellerFee: Int64?
        var refusal: String?
    }

    struct AllowanceLegView: Encodable {
        var done: Bool
        var at: Int64?
        var fromAccountId: String?
        var toAccountId: String?
        var quantity: Int64?
    }

    var tradeId: String
    var execution: TradeRecord.Execution?
    var funds: FundsLegView
    var allowances: AllowanceLegView
    var settled: Bool
    var settledAt: Int64?
    var alarmed: Bool
    /// The leg still missing, if any.
    var waitingFor: String?

    init(_ record: TradeRecord) {
        let legs = record.legs
        tradeId = legs.tradeId.rawValue
        execution = record.execution
        funds = FundsLegView(done: legs.funds != nil, at: legs.fundsAt?.millisecondsSinceEpoch, value: legs.funds?.value.rawValue,
                             buyerFee: legs.funds?.buyerFee.rawValue, sellerFee: legs.funds?.sellerFee.rawValue,
                             refusal: record.fundsRefusal)
        allowances = AllowanceLegView(done: legs.allowancesAt != nil, at: legs.allowancesAt?.millisecondsSinceEpoch,
                                      fromAccountId: record.delivery?.fromAccountId, toAccountId: record.delivery?.toAccountId,
                                      quantity: record.delivery?.quantity)
        settled = legs.isSettled
        settledAt = record.settledAt
        alarmed = legs.isAlarmed
        waitingFor = legs.missingLeg?.rawValue
    }
}

struct AlarmsView: Encodable {
    var total: Int
    var alarms: [AlarmRow]
}

struct TotalsView: Encodable {
    var tradingDay: String?
    /// According to the journal.
    var deposited: Int64
    var withdrawn: Int64
    var feesCharged: Int64
    /// According to the stored balances.
    var participantFunds: Int64
    var available: Int64
    var reserved: Int64
    var feeAccount: Int64
    var clearing: Int64
    /// participantFunds == deposited - withdrawn - feesCharged, feeAccount == feesCharged, clearing == 0,
    /// no balance negative.
    var balanced: Bool
    var problems: [String]
    var accounts: Int
    var openReservations: Int
    var journalEntries: Int
}
