/// The funds journal folded up to one entry: every account's balance by its entries and the
/// market's totals, as of that entry.
///
/// Why: the journal only grows, and the end of day needs the whole of it (statements open with
/// each participant's funds from everything before the day; the reconciliation checks every
/// balance against what its entries add up to). With a checkpoint stored at each end of day,
/// the next one reads only the entries after it, so closing a day costs the day's entries, not
/// the market's history. The checkpoint is folded from journal entries alone, never from the
/// balance sheet, so the reconciliation still compares two independent records.
///
/// Folding is in journal order and without gaps (`fold` refuses anything else), and accounts
/// whose entries add up to zero (closed reservations, mostly) are not kept.
public struct JournalCheckpoint: Hashable, Sendable {
    /// The last entry folded in; 0 for none.
    public private(set) var sequence: Int64
    /// The latest trading day among the folded entries (nil when none was stamped).
    public private(set) var latestDay: TradingDay?
    /// Deposits, withdrawals and fees of the folded entries.
    public private(set) var totals: FundsTotals
    /// What each account's folded entries add up to (debits minus credits); zero sums omitted.
    public private(set) var balances: [FundsAccount: Fen]

    /// The checkpoint before the first entry.
    public init() {
        self.init(sequence: 0, latestDay: nil, totals: FundsTotals(), balances: [:])
    }

    /// A checkpoint as stored (zero balances are dropped).
    public init(sequence: Int64, latestDay: TradingDay?, totals: FundsTotals, balances: [FundsAccount: Fen]) {
        self.sequence = sequence
        self.latestDay = latestDay
        self.totals = totals
        self.balances = balances.filter { $0.value != .zero }
    }

    /// Folds `entry` in. False, and nothing changes, unless it is the entry right after the
    /// last one folded.
    @discardableResult
    public mutating func fold(_ entry: FundsEntry) -> Bool {
        guard entry.sequence == sequence + 1 else { return false }
        sequence = entry.sequence
        if let day = entry.tradingDay, latestDay.map({ day > $0 }) ?? true { latestDay = day }
        totals.add(entry)
        adjust(entry.debit, by: entry.amount)
        adjust(entry.credit, by: -entry.amount)
        return true
    }

    /// Whether every folded entry belongs before `day` (stamped earlier, or not stamped): then
    /// `day`'s statements and reconciliation may start from this checkpoint and read only the
    /// entries after it.
    public func precedes(_ day: TradingDay) -> Bool {
        latestDay.map { $0 < day } ?? true
    }

    /// Each participant's funds by the folded entries, split available/reserved: the opening
    /// balances of a day this checkpoint precedes.
    public var participantFunds: [AccountID: FundsSplit] {
        var funds: [AccountID: FundsSplit] = [:]
        for (account, amount) in balances { StatementBuilder.adjust(account, by: amount, in: &funds) }
        return funds
    }

    private mutating func adjust(_ account: FundsAccount, by amount: Fen) {
        let sum = (balances[account] ?? .zero) + amount
        balances[account] = sum == .zero ? nil : sum
    }
}
