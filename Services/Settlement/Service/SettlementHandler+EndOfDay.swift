import Contract
import Foundation
import GRDB
import ServiceRuntime
import SettlementDomain

/// Trading days: `SessionOpened` starts one in the ledger (yesterday's sale proceeds become
/// withdrawable); when the last open session closes, every account gets its statement
/// (`StatementIssued`, plus `StatementContinued` for long ones) and the market-wide
/// reconciliation runs (`ReconciliationCompleted`, an alarm when it does not balance).
///
/// The day's last allowance legs travel on `registry.events` and may arrive after the close on
/// `matching.events`: a reconciliation whose only breaks are trades still waiting for their
/// allowance leg waits for them (at most the leg timeout) before it is reported.
extension SettlementHandler {
    func openSession(_ opened: SessionOpened, context: inout HandlerContext) throws {
        let day = try tradingDay(opened.tradingDay)
        let current = try host.with(context.db) { $0.tradingDay }
        if let current, day < current { return }  // a late open of a past day changes nothing
        if let current, current < day, try !ReconciliationStore.exists(context.db, current) {
            try endOfDay(current, context: &context)  // the close of the previous day never came
        }
        let snapshot = context, rules = self.rules
        let pendingRows = self.pendingRows
        _ = try host.with(context.db) { ledger -> Bool in
            // The rows changed so far get the values of before the new day, as they would have.
            try pendingRows.write(snapshot.db, ledger: ledger)
            guard (try? ledger.startTradingDay(day)) == true else { return false }
            try JournalStore.storeTradingDay(snapshot.db, day, rules: rules)
            try BalanceStore.refreshProceeds(snapshot.db, ledger: ledger, at: snapshot.now)
            return true
        }
        try OpenSessions.open(context.db, instrument: opened.instrument.rawValue, day: day)
    }

    func closeSession(_ closed: SessionClosed, context: inout HandlerContext) throws {
        let day = try tradingDay(closed.tradingDay)
        guard try OpenSessions.close(context.db, instrument: closed.instrument.rawValue) else { return }
        guard try !ReconciliationStore.exists(context.db, day) else { return }
        try endOfDay(day, context: &context)
    }

    /// Issues `day`'s statements and reconciles its books. It reads the journal from the last
    /// checkpoint on, and moves the checkpoint up to the day's first entry (`JournalCheckpoint`):
    /// the next day closes from there.
    func endOfDay(_ day: TradingDay, context: inout HandlerContext) throws {
        let stored = try JournalCheckpointStore.load(context.db)
        let (start, journal) = try JournalCheckpointStore.journal(context.db, for: day, stored: stored)
        var next = start
        var folding = true
        // One pass: the builder reads each entry as the checkpoint folds it (while it is before
        // the day), so the journal is never held in memory at once.
        let entries = journal.lazy.map { entry -> FundsEntry in
            if folding { folding = (entry.tradingDay.map { $0 < day } ?? true) && next.fold(entry) }
            return entry
        }
        let statements = StatementBuilder().statements(for: day, after: start, journal: entries)
        try journal.check()
        let advanced = next.sequence > stored.sequence
        if advanced { try JournalCheckpointStore.store(context.db, next) }
        let checkpoint = advanced ? next : stored
        for statement in statements {
            for payload in statementRecords(statement) { context.emit(payload, to: .settlementEvents) }
        }
        let record = ReconciliationRecord(tradingDay: day.rawValue, status: .awaitingLegs, statements: statements.count,
                                          closedAt: context.now.millisecondsSinceEpoch,
                                          report: ReconciliationReport(tradingDay: day, totals: FundsTotals()))
        try reconcile(record, final: false, checkpoint: checkpoint, context: &context)
        // The whole ledger as the day closes: a restart replays only the journal after it.
        try host.storeSnapshot(context.db, at: context.now, force: true)
    }

    /// Trade `tradeId` settled: completes the reconciliation that waited for it last.
    func tradeSettled(_ tradeId: TradeID, context: inout HandlerContext) throws {
        guard let day = try ReconciliationStore.resolve(context.db, tradeId),
              let record = try ReconciliationStore.find(context.db, day), record.status == .awaitingLegs else { return }
        try reconcile(record, final: false, context: &context)
    }

    /// Reports the reconciliations that waited for allowance legs as long as the timeout allows.
    func completeDueReconciliations(context: inout HandlerContext) throws {
        for day in try ReconciliationStore.due(context.db, now: context.now.millisecondsSinceEpoch) {
            guard let record = try ReconciliationStore.find(context.db, day), record.status == .awaitingLegs else { continue }
            try reconcile(record, final: true, context: &context)
        }
    }

    /// Reconciles the stored balance sheet against the journal and the day's trades. Unless
    /// `final`, a report whose only breaks are trades waiting for their allowance leg is stored
    /// as awaiting those trades instead of being reported. `checkpoint` is the stored journal
    /// checkpoint when the caller has it at hand (read from the store otherwise).
    private func reconcile(_ record: ReconciliationRecord, final: Bool, checkpoint: JournalCheckpoint? = nil,
                           context: inout HandlerContext) throws {
        guard let day = TradingDay(record.tradingDay) else { throw StoreCorruption("'\(record.tradingDay)' is not a day") }
        let db = context.db
        try writeDeferred(db)
        let sheet = try BalanceStore.balanceSheet(db, rules: rules)
        let trades = try TradeRecords.ofDay(db, day)
        let stored = try checkpoint ?? JournalCheckpointStore.load(db)
        let (start, journal) = try JournalCheckpointStore.journal(db, for: day, stored: stored)
        let report = Reconciliation(rules: rules).reconcile(day: day, balances: sheet, after: start, journal: journal,
                                                            tradesExecuted: trades.executed, tradesSettled: trades.settled)
        try journal.check()
        var record = record
        record.report = report
        let unsettled = Set(trades.executed).subtracting(trades.settled).sorted()
        if !final, !unsettled.isEmpty, report.breaks.allSatisfy({ $0.code == Codes.unsettledTrade }),
           try unsettled.allSatisfy({ try awaitsOnlyAllowances($0, db) }) {
            record.status = .awaitingLegs
            record.awaiting = unsettled.map(\.rawValue)
            record.deadline = record.deadline ?? context.now.millisecondsSinceEpoch + rules.legTimeoutMilliseconds
            try ReconciliationStore.save(db, record)
            return
        }
        record.status = report.isBalanced ? .balanced : .broken
        record.awaiting = nil
        record.completedAt = context.now.millisecondsSinceEpoch
        try ReconciliationStore.save(db, record)
        context.emit(completed(report), to: .settlementEvents)
        for (index, line) in report.breaks.prefix(100).enumerated() {
            _ = try AlarmStore.raise(db, AlarmRow(
                alarmId: "reconciliation:\(day):\(index)", code: line.code, tradeId: nil, tradingDay: day.rawValue,
                missingLeg: nil, since: nil, waitedMilliseconds: nil, difference: line.difference.rawValue,
                accountId: line.accountId?.rawValue, reason: String(line.detail.prefix(Check.maxReasonLength)),
                raisedAt: context.now.millisecondsSinceEpoch))
        }
    }

    /// Whether the trade's funds leg is done and only its allowance leg is missing.
    private func awaitsOnlyAllowances(_ tradeId: TradeID, _ db: Database) throws -> Bool {
        guard let record = try TradeRecords.find(db, tradeId) else { return false }
        return record.legs.funds != nil && record.legs.allowancesAt == nil
    }

    private func completed(_ report: ReconciliationReport) -> ReconciliationCompleted {
        let lines = report.breaks.prefix(ReconciliationCompleted.maxBreaks).map { line in
            ReconciliationBreakLine(code: line.code, detail: String(line.detail.prefix(Check.maxReasonLength)),
                                    difference: line.difference.rawValue, accountId: line.accountId?.rawValue)
        }
        return ReconciliationCompleted(
            tradingDay: civil(report.tradingDay), balanced: report.isBalanced, breaks: Array(lines),
            deposited: report.totals.deposited.rawValue, withdrawn: report.totals.withdrawn.rawValue,
            feesCharged: report.totals.feesCharged.rawValue, participantFunds: report.participantFunds.rawValue,
            feeAccount: report.feeAccount.rawValue,
            truncated: report.breaks.count > ReconciliationCompleted.maxBreaks ? true : nil)
    }

    /// An account's statement as `StatementIssued`, with the trade lines beyond what one record
    /// carries in `StatementContinued` records.
    func statementRecords(_ statement: AccountStatement) -> [any EventPayload] {
        let lines = statement.trades.map { line in
            StatementTrade(tradeId: line.tradeId.rawValue, side: line.side == .buy ? .buy : .sell,
                           quantity: line.quantity.rawValue, price: line.price.rawValue, value: line.value.rawValue,
                           fee: line.fee.rawValue)
        }
        let size = configuration.statementLinesPerRecord
        let chunks = stride(from: 0, to: lines.count, by: size).map { Array(lines[$0..<min($0 + size, lines.count)]) }
        let day = civil(statement.tradingDay)
        var records: [any EventPayload] = [
            StatementIssued(accountId: statement.accountId.rawValue, tradingDay: day, opening: statement.opening.rawValue,
                            closing: statement.closing.rawValue, fees: statement.fees.rawValue, trades: chunks.first ?? [],
                            deposits: statement.deposits.rawValue, withdrawals: statement.withdrawals.rawValue),
        ]
        for (index, chunk) in chunks.enumerated().dropFirst() {
            records.append(StatementContinued(accountId: statement.accountId.rawValue, tradingDay: day, part: index + 1,
                                              parts: chunks.count, trades: chunk))
        }
        return records
    }

    private func tradingDay(_ civil: CivilDate) throws -> TradingDay {
        guard let day = TradingDay(civil.description) else {
            throw ContractError(code: "invalid-trading-day", reason: "trading day \(civil) is out of range (years 1000-9999)")
        }
        return day
    }

    /// The contract's date of a trading day (both are `yyyy-MM-dd`, so this never falls back).
    func civil(_ day: TradingDay) -> CivilDate {
        CivilDate(day.rawValue) ?? CivilDate(daysSinceEpoch: 0)
    }
}
