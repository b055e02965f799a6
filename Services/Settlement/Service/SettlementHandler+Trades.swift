import Contract
import Foundation
import GRDB
import ServiceRuntime
import SettlementDomain

/// Delivery versus payment: the funds leg (`TradeExecuted`), the allowance leg
/// (`AllowancesTransferred`), in either order and any number of times, give exactly one
/// `TradeSettled` per trade; a leg waiting past the timeout, a funds leg the ledger refuses and
/// a delivery that does not match the trade raise a `SettlementAlarm`.
extension SettlementHandler {
    /// `TradeExecuted`: moves the value from the buyer's reservation to the seller, charges
    /// both fees, releases what the fill left over (`FundsReleased`: price improvement and the
    /// unused fee hold; everything on the last fill), and records the funds leg.
    func settleFundsLeg(_ trade: TradeExecuted, context: inout HandlerContext) throws {
        let tradeId = TradeID(trade.tradeId)
        let execution = TradeExecution(tradeId: tradeId, buyOrderId: OrderID(trade.buyOrderId),
                                       sellOrderId: OrderID(trade.sellOrderId), buyerAccountId: AccountID(trade.buyerAccountId),
                                       sellerAccountId: AccountID(trade.sellerAccountId), price: Fen(trade.price),
                                       quantity: Tonnes(trade.quantity))
        let snapshot = context
        let outcome: LedgerOutcome<FundsSettlement> = try host.with(context.db) { ledger in
            if ledger.hasSettled(tradeId: tradeId) { return .duplicate }
            let settlement: FundsSettlement
            do throws(SettlementRefusal) { settlement = try ledger.settle(execution) } catch { return .refused(error) }
            try persist(settlement.entries, ledger: ledger, context: snapshot)
            return .done(settlement)
        }
        if case .duplicate = outcome { return }
        var record = try TradeRecords.find(context.db, tradeId) ?? TradeRecord(tradeId: tradeId)
        switch outcome {
        case .duplicate:
            return
        case .refused(let refusal):
            record.execution = executionRecord(of: trade, day: trade.tradingDay?.description ?? ledgerDay(context))
            record.fundsRefusal = "\(refusal.code): \(refusal.reason)"
            try TradeRecords.save(context.db, record)
            try alarm(code: Codes.fundsLegRefused, record: record, missing: .funds, since: context.now,
                      reason: "the funds leg of trade \(trade.tradeId) was refused: \(refusal.code): \(refusal.reason)",
                      context: &context)
        case .done(let settlement):
            if settlement.released > .zero {
                context.emit(FundsReleased(orderId: trade.buyOrderId, accountId: trade.buyerAccountId,
                                           amount: settlement.released.rawValue), to: .settlementEvents)
            }
            record.execution = executionRecord(of: trade, day: settlement.entries.first?.tradingDay?.rawValue
                                            ?? trade.tradingDay?.description)
            record.fundsRefusal = nil
            var tracker = record.tracker(timeoutMilliseconds: rules.legTimeoutMilliseconds)
            let decision = tracker.recordFundsLeg(settlement.fundsLeg, at: context.now.instant)
            record.update(from: tracker)
            try conclude(decision, record: record, context: &context)
        }
    }

    /// `AllowancesTransferred`: records the allowance leg (the registry moved the allowances).
    func recordAllowanceLeg(_ delivery: AllowancesTransferred, context: inout HandlerContext) throws {
        let tradeId = TradeID(delivery.tradeId)
        var record = try TradeRecords.find(context.db, tradeId) ?? TradeRecord(tradeId: tradeId)
        var tracker = record.tracker(timeoutMilliseconds: rules.legTimeoutMilliseconds)
        let decision = tracker.recordAllowanceLeg(tradeId: tradeId, at: context.now.instant)
        if decision == .duplicate { return }
        record.update(from: tracker)
        record.delivery = .init(fromAccountId: delivery.fromAccountId, toAccountId: delivery.toAccountId,
                                quantity: delivery.quantity)
        try conclude(decision, record: record, context: &context)
    }

    /// Stores the trade's row after a leg, and on the settled decision emits `TradeSettled`
    /// (and the alarm of a delivery that does not match the trade) and tells a reconciliation
    /// waiting for this trade.
    private func conclude(_ decision: LegOutcome, record: TradeRecord, context: inout HandlerContext) throws {
        var record = record
        guard case .settled(let settled) = decision else {
            try TradeRecords.save(context.db, record)
            return
        }
        record.settledAt = context.now.millisecondsSinceEpoch
        try TradeRecords.save(context.db, record)
        context.emit(TradeSettled(tradeId: settled.tradeId.rawValue, buyerAccountId: settled.buyerAccountId.rawValue,
                                  sellerAccountId: settled.sellerAccountId.rawValue, value: settled.value.rawValue,
                                  buyerFee: settled.buyerFee.rawValue, sellerFee: settled.sellerFee.rawValue,
                                  buyOrderId: record.execution?.buyOrderId, sellOrderId: record.execution?.sellOrderId),
                     to: .settlementEvents)
        if let mismatch = record.mismatch {
            try alarm(code: Codes.legMismatch, record: record, missing: .allowances, since: context.now, reason: mismatch,
                      context: &context)
        }
        try tradeSettled(record.legs.tradeId, context: &context)
    }

    /// Raises `SettlementAlarm` for every trade whose missing leg waited past the timeout, once.
    func raiseOverdueAlarms(context: inout HandlerContext) throws {
        let now = context.now
        let cutoff = now.millisecondsSinceEpoch - rules.legTimeoutMilliseconds
        let waiting = try TradeRecords.waiting(context.db, since: cutoff)
        guard !waiting.isEmpty else { return }
        var records = Dictionary(uniqueKeysWithValues: waiting.map { ($0.legs.tradeId, $0) })
        var tracker = SettlementTracker(timeoutMilliseconds: rules.legTimeoutMilliseconds, restoring: waiting.map(\.legs))
        for overdue in tracker.overdueTrades(now: now.instant) {
            guard var record = records[overdue.tradeId] else { continue }
            record.update(from: tracker)
            records[overdue.tradeId] = record
            try TradeRecords.save(context.db, record)
            let leg = overdue.missing == .funds ? "funds leg (TradeExecuted)" : "allowance leg (AllowancesTransferred)"
            try alarm(code: Codes.legOverdue, record: record, missing: overdue.missing == .funds ? .funds : .allowances,
                      since: Timestamp(millisecondsSinceEpoch: overdue.since.millisecondsSinceEpoch),
                      waited: overdue.waitedMilliseconds,
                      reason: "trade \(overdue.tradeId): the \(leg) is missing after \(overdue.waitedMilliseconds) ms "
                          + "(timeout \(rules.legTimeoutMilliseconds) ms)",
                      context: &context)
        }
    }

    /// Stores an alarm about a trade and emits it, unless the same alarm was raised before.
    private func alarm(code: String, record: TradeRecord, missing: SettlementLegName, since: Timestamp,
                       waited: Int64? = nil, reason: String, context: inout HandlerContext) throws {
        let buyer = record.execution?.buyerAccountId ?? record.legs.funds?.buyerAccountId.rawValue
        let seller = record.execution?.sellerAccountId ?? record.legs.funds?.sellerAccountId.rawValue
        let row = AlarmRow(alarmId: "\(code):\(record.legs.tradeId)", code: code, tradeId: record.legs.tradeId.rawValue,
                           tradingDay: record.execution?.tradingDay, missingLeg: missing.rawValue,
                           since: since.millisecondsSinceEpoch, waitedMilliseconds: waited, difference: record.legs.funds?.value.rawValue,
                           accountId: buyer, reason: String(reason.prefix(Check.maxReasonLength)),
                           raisedAt: context.now.millisecondsSinceEpoch)
        guard try AlarmStore.raise(context.db, row) else { return }
        context.emit(SettlementAlarm(tradeId: record.legs.tradeId.rawValue, missingLeg: missing, since: since,
                                     reason: row.reason, code: code, waitedMilliseconds: waited, buyerAccountId: buyer,
                                     sellerAccountId: seller), to: .settlementEvents)
    }

    private func executionRecord(of trade: TradeExecuted, day: String?) -> TradeRecord.Execution {
        TradeRecord.Execution(buyOrderId: trade.buyOrderId, sellOrderId: trade.sellOrderId,
                              buyerAccountId: trade.buyerAccountId, sellerAccountId: trade.sellerAccountId,
                              quantity: trade.quantity, price: trade.price, tradingDay: day)
    }

    private func ledgerDay(_ context: HandlerContext) -> String? {
        host.read { $0.tradingDay?.rawValue }
    }
}
