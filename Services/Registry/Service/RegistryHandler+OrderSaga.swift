import Contract
import Foundation
import GRDB
import RegistryDomain
import ServiceRuntime
import Store

/// The registry's part of the order saga (DESIGN.md section 4): freeze a seller's allowances
/// for a sell order, deliver them to the buyer when a trade executes, release what remains
/// when matching cancels, expires or rejects the order, and start a new trading day (T+1).
///
/// Each effect happens once however often its cause arrives: the runtime drops a repeated event
/// id, and the ledger (in memory, backed by unique indexes on the journal) keeps one hold per
/// order id and one transfer per trade id; a repeat with a new event id changes and emits nothing.
extension RegistryHandler {
    /// `SubmitOrder` (sell): `AllowancesFrozen`, or `FreezeRejected` with a code and reason.
    func freeze(for order: SubmitOrder, context: inout HandlerContext) throws {
        let db = context.db, now = context.now, cause = context.input.id
        let outcome: FreezeOutcome = try engine.with(db) { state in
            if state.ledger.hold(for: order.orderId) != nil { return .duplicate }
            if try OrderGuards.contains(db, orderId: order.orderId) { return .duplicate }
            if state.suspended.contains(order.accountId) {
                return .refused(ServiceRefusal.entitySuspended, "entity \(order.accountId) is deregistered and suspended for trading")
            }
            let entry: JournalEntry
            do throws(RegistryRefusal) {
                entry = try state.ledger.freeze(orderId: order.orderId, owner: order.accountId, order.instrument.ledger,
                                                quantity: Int(order.quantity))
            } catch {
                return .refused(error.code, error.reason)
            }
            try state.storing(entry) { try JournalStore.append(db, entry, at: now, cause: cause) }
            return .frozen
        }
        switch outcome {
        case .duplicate:
            return
        case .frozen:
            context.emit(AllowancesFrozen(orderId: order.orderId, accountId: order.accountId, instrument: order.instrument,
                                          quantity: order.quantity), to: .registryEvents)
        case let .refused(code, reason):
            try OrderGuards.insert(db, orderId: order.orderId, accountId: order.accountId, state: "refused",
                                   code: code, reason: reason, at: now)
            context.emit(FreezeRejected(orderId: order.orderId, accountId: order.accountId, code: code, reason: reason,
                                        instrument: order.instrument), to: .registryEvents)
        }
    }

    /// `TradeExecuted`: moves the traded quantity from the seller's hold to the buyer, who may
    /// not sell it before the next trading day. A trade that does not fit the holds (no hold,
    /// another seller's hold, more than remains, unknown buyer) changes nothing and is refused
    /// with `CommandRejected`: it means matching and the registry disagree, which an operator
    /// must see.
    func deliver(_ trade: TradeExecuted, context: inout HandlerContext) throws {
        let db = context.db, now = context.now, cause = context.input.id
        let day = try trade.tradingDay.map { civil -> CalendarDay in
            guard let day = civil.calendarDay else {
                throw ContractError(code: ServiceRefusal.invalidTradingDay, reason: "trading day \(civil) is out of range")
            }
            return day
        }
        func transfer(in ledger: inout HoldingsLedger) throws -> JournalEntry {
            do throws(RegistryRefusal) {
                return try ledger.transfer(tradeId: trade.tradeId, sellOrderId: trade.sellOrderId, from: trade.sellerAccountId,
                                           to: trade.buyerAccountId, trade.instrument.ledger, quantity: Int(trade.quantity))
            } catch {
                throw error.contractError
            }
        }
        let delivered: Bool = try engine.with(db) { state in
            if state.ledger.hasTransferred(tradeId: trade.tradeId) { return false }
            if let day, state.ledger.tradingDay.map({ $0 < day }) ?? true {
                // The trade opens a new day. Refuse it, if it is to be refused, before the day is
                // written: on a copy of the ledger (once a day), so that a refusal writes nothing
                // and leaves memory as it was.
                var probe = state.ledger
                _ = try? probe.startTradingDay(day)
                _ = try transfer(in: &probe)
                try advance(&state, to: day, db, at: now)
            }
            let entry = try transfer(in: &state.ledger)
            try state.storing(entry) { try JournalStore.append(db, entry, at: now, cause: cause) }
            return true
        }
        guard delivered else { return }
        context.emit(AllowancesTransferred(tradeId: trade.tradeId, fromAccountId: trade.sellerAccountId,
                                           toAccountId: trade.buyerAccountId, instrument: trade.instrument,
                                           quantity: trade.quantity), to: .registryEvents)
    }

    /// `OrderCancelled`, `OrderExpired`, `OrderRejected`: releases whatever remains of the
    /// order's hold (`AllowancesUnfrozen`). Without a hold (a buy, a refused freeze, or a sell
    /// whose `SubmitOrder` the registry has not read yet) the order id is remembered so that a
    /// late `SubmitOrder` never freezes allowances for an order that is already closed.
    func release(orderId: String, accountId: String, why: String, context: inout HandlerContext) throws {
        let db = context.db, now = context.now, cause = context.input.id
        let released: (owner: String, instrument: LedgerInstrument, quantity: Int)? = try engine.with(db) { state in
            guard let hold = state.ledger.hold(for: orderId) else {
                try OrderGuards.insert(db, orderId: orderId, accountId: accountId, state: "closed", code: nil,
                                       reason: "order \(why) before the registry saw it", at: now)
                return nil
            }
            guard let entry = try state.ledger.releaseHold(orderId: orderId) else { return nil }
            try state.storing(entry) { try JournalStore.append(db, entry, at: now, cause: cause) }
            return (hold.owner, hold.instrument, entry.quantity)
        }
        guard let released else { return }
        context.emit(AllowancesUnfrozen(orderId: orderId, accountId: released.owner, instrument: released.instrument.wire,
                                        quantity: Int64(released.quantity)), to: .registryEvents)
    }

    /// `SessionOpened`: a later trading day makes what was bought before it sellable. The same
    /// day again (another instrument's session) or an earlier one changes nothing.
    func startTradingDay(_ civil: CivilDate, context: inout HandlerContext) throws {
        guard let day = civil.calendarDay else {
            throw ContractError(code: ServiceRefusal.invalidTradingDay, reason: "trading day \(civil) is out of range")
        }
        let db = context.db, now = context.now
        try engine.with(db) { state in
            if state.ledger.tradingDay.map({ $0 < day }) ?? true {
                try advance(&state, to: day, db, at: now)
            }
        }
    }

    private func advance(_ state: inout LedgerEngine.State, to day: CalendarDay, _ db: Database, at now: Timestamp) throws {
        // The holdings changed so far are written first, with the values of before the new day.
        try state.writeHoldings(db)
        _ = try? state.ledger.startTradingDay(day)  // only later days reach here: it cannot refuse
        try state.storing(nil) { try JournalStore.startTradingDay(db, day) }
        // The whole ledger as the day starts: a restart replays only the journal after it.
        try state.storeSnapshot(db, at: now)
    }
}

private enum FreezeOutcome: Sendable {
    case frozen
    case duplicate
    case refused(String, String)
}

/// Sell orders the registry must not freeze for (again): refused ones and ones matching closed
/// before their `SubmitOrder` reached the registry.
enum OrderGuards {
    static func contains(_ db: Database, orderId: String) throws -> Bool {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM order_guards WHERE orderId = ?")
        return try statement.fetchFirst({ $0.bind(orderId) }) { _ in true } != nil
    }

    static func insert(_ db: Database, orderId: String, accountId: String, state: String, code: String?,
                       reason: String, at now: Timestamp) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO order_guards (orderId, accountId, state, code, reason, at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [orderId, accountId, state, code, reason, now.millisecondsSinceEpoch])
    }
}
