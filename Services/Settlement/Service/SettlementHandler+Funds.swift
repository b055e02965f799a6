import Contract
import Foundation
import GRDB
import ServiceRuntime
import SettlementDomain

/// Money in and out (`settlement.commands`) and the buy side of the order saga's holds
/// (`market.orders` buys; closed orders on `matching.events`).
extension SettlementHandler {
    /// `DepositFunds`: `FundsDeposited`, or `CommandRejected` (a bank reference counts once per
    /// account, so a bank's retry cannot credit twice).
    func deposit(_ command: DepositFunds, context: inout HandlerContext) throws {
        let account = AccountID(command.accountId)
        try transfer(context) { (ledger: inout FundsLedger) throws(SettlementRefusal) -> FundsEntry in
            try ledger.deposit(to: account, amount: Fen(command.amount), reference: command.reference)
        }
        context.emit(FundsDeposited(accountId: command.accountId, amount: command.amount, reference: command.reference),
                     to: .settlementEvents)
    }

    /// `WithdrawFunds`: `FundsWithdrawn`, or `CommandRejected` (at most what is withdrawable:
    /// neither reserved funds nor today's sale proceeds).
    func withdraw(_ command: WithdrawFunds, context: inout HandlerContext) throws {
        let account = AccountID(command.accountId)
        try transfer(context) { (ledger: inout FundsLedger) throws(SettlementRefusal) -> FundsEntry in
            try ledger.withdraw(from: account, amount: Fen(command.amount), reference: command.reference)
        }
        context.emit(FundsWithdrawn(accountId: command.accountId, amount: command.amount, reference: command.reference),
                     to: .settlementEvents)
    }

    /// Runs a deposit or withdrawal; its refusal leaves the ledger as it was and becomes the
    /// command's `CommandRejected`.
    private func transfer(_ context: HandlerContext,
                          _ operation: (inout FundsLedger) throws(SettlementRefusal) -> FundsEntry) throws {
        let outcome: LedgerOutcome<Bool> = try host.with(context.db) { ledger in
            let entry: FundsEntry
            do throws(SettlementRefusal) { entry = try operation(&ledger) } catch { return .refused(error) }
            try persist([entry], ledger: ledger, context: context)
            return .done(true)
        }
        if case .refused(let refusal) = outcome { throw refusal.contractError }
    }

    /// `SubmitOrder` (buy): holds `quantity x (price + maximum fee per tonne)` of the buyer's
    /// available funds (`FundsReserved`), or says why not (`ReserveRejected`, which makes
    /// matching reject the order). One answer per order id: a repeated submit is ignored; an
    /// order matching already closed gets `ReserveRejected` (`order-closed`) and no hold.
    func reserve(_ order: SubmitOrder, context: inout HandlerContext) throws {
        if let known = try OrderGuards.find(context.db, order.orderId) {
            if known.state == .closed {
                context.emit(ReserveRejected(orderId: order.orderId, accountId: order.accountId, code: Codes.orderClosed,
                                             reason: "order \(order.orderId) was closed by matching before its funds were "
                                                 + "reserved (\(known.reason)); nothing is held",
                                             instrument: order.instrument), to: .settlementEvents)
            }
            return
        }
        let orderId = OrderID(order.orderId), account = AccountID(order.accountId)
        let snapshot = context
        let outcome: LedgerOutcome<Fen> = try host.with(context.db) { ledger in
            if ledger.reservation(for: orderId) != nil { return .duplicate }
            let entry: FundsEntry
            do throws(SettlementRefusal) {
                entry = try ledger.reserve(orderId: orderId, account: account, quantity: Tonnes(order.quantity),
                                           limitPrice: Fen(order.price))
            } catch {
                return .refused(error)
            }
            try persist([entry], ledger: ledger, context: snapshot)
            return .done(entry.amount)
        }
        switch outcome {
        case .duplicate:
            return
        case .done(let amount):
            context.emit(FundsReserved(orderId: order.orderId, accountId: order.accountId, amount: amount.rawValue),
                         to: .settlementEvents)
        case .refused(let refusal):
            try OrderGuards.insert(context.db, order.orderId, accountId: order.accountId, state: .refused,
                                   code: refusal.code, reason: refusal.reason, at: context.now)
            context.emit(ReserveRejected(orderId: order.orderId, accountId: order.accountId, code: refusal.code,
                                         reason: refusal.reason, instrument: order.instrument), to: .settlementEvents)
        }
    }

    /// `OrderCancelled`, `OrderExpired`, `OrderRejected`: releases what remains reserved for the
    /// order (`FundsReleased`). Without a reservation (a sell, a refused reserve, or a buy whose
    /// `SubmitOrder` settlement has not read yet) the order id is remembered as closed, so that
    /// a late `SubmitOrder` never holds funds for it. A release of nothing (filled, released
    /// before) changes and emits nothing.
    func release(orderId: String, accountId: String, why: String, context: inout HandlerContext) throws {
        let order = OrderID(orderId)
        let snapshot = context
        let outcome: ReleaseOutcome = try host.with(context.db) { ledger in
            guard let reservation = ledger.reservation(for: order) else { return .noReservation }
            guard let entry = try ledger.release(orderId: order) else { return .nothingLeft }
            try persist([entry], ledger: ledger, closedBy: why, context: snapshot)
            return .released(entry.amount, reservation.accountId)
        }
        switch outcome {
        case .nothingLeft:
            return
        case .noReservation:
            try OrderGuards.insert(context.db, orderId, accountId: accountId, state: .closed, code: nil,
                                   reason: "order \(why) before settlement saw it", at: context.now)
        case .released(let amount, let owner):
            context.emit(FundsReleased(orderId: orderId, accountId: owner.rawValue, amount: amount.rawValue),
                         to: .settlementEvents)
        }
    }
}

/// What closing an order did to its reservation.
private enum ReleaseOutcome: Sendable {
    /// What remained reserved went back to the buyer's available funds.
    case released(Fen, AccountID)
    /// The reservation was already empty (filled, or released before).
    case nothingLeft
    /// The order has no reservation: a sell, a refused reserve, or a buy not read yet.
    case noReservation
}
