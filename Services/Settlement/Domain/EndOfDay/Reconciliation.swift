/// The market-wide end-of-day reconciliation: the books must balance to the fen.
///
/// It compares two independent records the service keeps, the balance sheet (balances as
/// stored or held in memory) and the journal (the entry rows), plus the day's trades:
/// - participants hold deposits - withdrawals - fees collected (`participant-funds-mismatch`);
/// - the fee account holds the fees charged (`fee-account-mismatch`);
/// - the clearing account is empty (`clearing-not-zero`);
/// - debits equal credits over the sheet (`unbalanced-sheet`);
/// - no account but a bank is negative (`negative-balance`);
/// - every account's balance is what its entries add up to (`account-mismatch`);
/// - every trade executed on the day is settled, both legs (`unsettled-trade`).
/// Each break carries the difference in fen (stated minus expected; for an unsettled trade,
/// the value its funds leg moved, zero if even that is missing).
public struct Reconciliation: Sendable {
    public let rules: SettlementRules

    public init(rules: SettlementRules = .standard) { self.rules = rules }

    /// Reconciles a balance sheet against the journal that should explain it.
    /// - Parameters:
    ///   - balances: every account's balance (accounts not listed are zero).
    ///   - journal: every entry so far, in any order.
    ///   - tradesExecuted: the trades matching executed on the day.
    ///   - tradesSettled: the trades decided settled (`SettlementTracker.settledTradeIds`).
    public func reconcile(day: TradingDay, balances: [FundsAccount: Fen], journal: some Sequence<FundsEntry>,
                          tradesExecuted: some Sequence<TradeID>, tradesSettled: Set<TradeID>) -> ReconciliationReport {
        reconcile(day: day, balances: balances, after: JournalCheckpoint(), journal: journal,
                  tradesExecuted: tradesExecuted, tradesSettled: tradesSettled)
    }

    /// The same reconciliation with the journal given as a checkpoint and the entries after it.
    /// The report equals the one over the whole journal when the checkpoint `precedes(day)`:
    /// the day's trades, whose funds legs the unsettled-trade breaks quote, are all after it.
    public func reconcile(day: TradingDay, balances: [FundsAccount: Fen], after checkpoint: JournalCheckpoint,
                          journal: some Sequence<FundsEntry>, tradesExecuted: some Sequence<TradeID>,
                          tradesSettled: Set<TradeID>) -> ReconciliationReport {
        var totals = checkpoint.totals
        var expected = checkpoint.balances
        var fundsLegValues: [TradeID: Fen] = [:]
        for entry in journal {
            totals.add(entry)
            expected[entry.debit, default: .zero] += entry.amount
            expected[entry.credit, default: .zero] -= entry.amount
            if entry.kind == .settleBuyer { fundsLegValues[TradeID(entry.reference)] = entry.amount }
        }
        var report = ReconciliationReport(tradingDay: day, totals: totals)
        var sum = Fen.zero
        for (account, balance) in balances {
            sum += balance
            if account.kind == .available || account.kind == .reserved { report.participantFunds += balance }
            if account.kind != .bank, balance < .zero {
                report.add("negative-balance", "\(account) is \(balance)", difference: balance, account: account.owner)
            }
        }
        report.feeAccount = balances[.fees(rules)] ?? .zero
        report.compare("participant-funds-mismatch", "participants hold \(report.participantFunds), deposits "
            + "\(totals.deposited) - withdrawals \(totals.withdrawn) - fees \(totals.feesCharged) is \(totals.participantFunds)",
            stated: report.participantFunds, expected: totals.participantFunds)
        report.compare("fee-account-mismatch", "fee account holds \(report.feeAccount), fees charged \(totals.feesCharged)",
                       stated: report.feeAccount, expected: totals.feesCharged, account: rules.feeAccountId)
        let clearing = balances[.clearing(rules)] ?? .zero
        report.compare("clearing-not-zero", "clearing account holds \(clearing)", stated: clearing, expected: .zero,
                       account: rules.clearingAccountId)
        report.compare("unbalanced-sheet", "the balances sum to \(sum), not zero", stated: sum, expected: .zero)
        for account in Set(balances.keys).union(expected.keys).sorted() {
            let stated = balances[account] ?? .zero, journal = expected[account] ?? .zero
            report.compare("account-mismatch", "\(account) is \(stated), its entries add up to \(journal)",
                           stated: stated, expected: journal, account: account.owner)
        }
        for tradeId in Set(tradesExecuted).subtracting(tradesSettled).sorted() {
            let value = fundsLegValues[tradeId]
            let state = value.map { "funds leg settled (value \($0)), allowance leg missing" } ?? "funds leg not settled"
            report.add("unsettled-trade", "trade \(tradeId) is not settled: \(state)", difference: value ?? .zero)
        }
        return report
    }

    /// Reconciles a ledger's balance sheet against the journal and the day's trades.
    public func reconcile(day: TradingDay, ledger: FundsLedger, journal: some Sequence<FundsEntry>,
                          tradesExecuted: some Sequence<TradeID>, tradesSettled: Set<TradeID>) -> ReconciliationReport {
        reconcile(day: day, balances: ledger.balanceSheet, journal: journal, tradesExecuted: tradesExecuted,
                  tradesSettled: tradesSettled)
    }
}

/// One way the books do not balance.
public struct ReconciliationBreak: Hashable, Codable, Sendable {
    /// Kebab-case kind of break, e.g. `fee-account-mismatch`.
    public var code: String
    /// What an operator reads, with the amounts.
    public var detail: String
    /// Stated minus expected, in fen (see `Reconciliation`).
    public var difference: Fen
    /// The account concerned, if one is.
    public var accountId: AccountID?

    public init(code: String, detail: String, difference: Fen, accountId: AccountID? = nil) {
        self.code = code
        self.detail = detail
        self.difference = difference
        self.accountId = accountId
    }
}

/// The outcome of a reconciliation: the market's totals and every break found.
public struct ReconciliationReport: Hashable, Codable, Sendable {
    public var tradingDay: TradingDay
    /// Deposits, withdrawals and fees according to the journal.
    public var totals: FundsTotals
    /// What participants hold according to the balance sheet (available + reserved).
    public var participantFunds: Fen = .zero
    /// What the fee account holds according to the balance sheet.
    public var feeAccount: Fen = .zero
    public var breaks: [ReconciliationBreak] = []

    public init(tradingDay: TradingDay, totals: FundsTotals) {
        self.tradingDay = tradingDay
        self.totals = totals
    }

    /// Whether the books balance to the fen and every trade of the day settled.
    public var isBalanced: Bool { breaks.isEmpty }

    mutating func add(_ code: String, _ detail: String, difference: Fen, account: AccountID? = nil) {
        breaks.append(ReconciliationBreak(code: code, detail: detail, difference: difference, accountId: account))
    }

    mutating func compare(_ code: String, _ detail: String, stated: Fen, expected: Fen, account: AccountID? = nil) {
        if stated != expected { add(code, detail, difference: stated - expected, account: account) }
    }
}
