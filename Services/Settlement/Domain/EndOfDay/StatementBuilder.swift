/// Builds the end-of-day statement of every participant from the funds journal.
///
/// Pure: it reads entries, not the ledger, so the service can run it over its stored rows
/// (or over a backup) and get the same statements every time.
public struct StatementBuilder: Sendable {
    public init() {}

    /// The statements of `day` from the journal.
    ///
    /// Entries stamped before `day` (or with no day) make the opening balances, entries stamped
    /// `day` are the day's movements, later entries are ignored; so the whole stored journal may
    /// be passed. Every participant with funds at the opening or an entry on the day gets one,
    /// sorted by account id.
    public func statements(for day: TradingDay, journal: some Sequence<FundsEntry>) -> [AccountStatement] {
        statements(for: day, after: JournalCheckpoint(), journal: journal)
    }

    /// The statements of `day` from a checkpoint and the entries after it, the same as from the
    /// whole journal when the checkpoint `precedes(day)` (the service checks that): the
    /// checkpoint's funds open the day, and the entries after it count as in
    /// `statements(for:journal:)`.
    public func statements(for day: TradingDay, after checkpoint: JournalCheckpoint,
                           journal: some Sequence<FundsEntry>) -> [AccountStatement] {
        var opening = checkpoint.participantFunds
        var entries: [FundsEntry] = []
        for entry in journal {
            if let entryDay = entry.tradingDay, entryDay >= day {
                if entryDay == day { entries.append(entry) }
            } else {
                Self.add(entry, to: &opening)
            }
        }
        return statements(for: day, opening: opening, entries: entries)
    }

    /// The statements of `day` from the opening balances and the day's entries (all of them
    /// taken as the day's, whatever their stamp).
    /// - Parameter opening: each participant's funds at the opening, split available/reserved.
    public func statements(for day: TradingDay, opening: [AccountID: FundsSplit],
                           entries: some Sequence<FundsEntry>) -> [AccountStatement] {
        var closing = opening
        var activity: [AccountID: Activity] = [:]
        var feesByTrade: [TradeFeeKey: Fen] = [:]
        let entries = Array(entries)
        for entry in entries {
            Self.add(entry, to: &closing)
            activity[entry.participant, default: Activity()].record(entry)
            if entry.kind == .fee {
                let side: TradeSide = entry.credit.kind == .reserved ? .buy : .sell
                feesByTrade[TradeFeeKey(trade: entry.reference, account: entry.credit.owner, side: side),
                            default: .zero] += entry.amount
            }
        }
        let accounts = Set(opening.filter { $0.value.total != .zero }.keys).union(activity.keys)
        return accounts.sorted().map { account in
            let before = opening[account] ?? FundsSplit()
            let after = closing[account] ?? FundsSplit()
            let record = activity[account] ?? Activity()
            let lines = record.fills.map { fill in
                StatementLine(tradeId: TradeID(fill.trade), side: fill.side, quantity: fill.fill.quantity,
                              price: fill.fill.price, value: fill.value,
                              fee: feesByTrade[TradeFeeKey(trade: fill.trade, account: account, side: fill.side)] ?? .zero)
            }
            return AccountStatement(accountId: account, tradingDay: day, opening: before.total, closing: after.total,
                                    fees: record.fees, deposits: record.deposits, withdrawals: record.withdrawals,
                                    trades: lines, closingAvailable: after.available, closingReserved: after.reserved)
        }
    }

    private static func add(_ entry: FundsEntry, to funds: inout [AccountID: FundsSplit]) {
        adjust(entry.debit, by: entry.amount, in: &funds)
        adjust(entry.credit, by: -entry.amount, in: &funds)
    }

    /// Adds `amount` to the participant's split that `account` is part of; exchange and bank
    /// accounts are not funds. (`JournalCheckpoint.participantFunds` splits the same way.)
    static func adjust(_ account: FundsAccount, by amount: Fen, in funds: inout [AccountID: FundsSplit]) {
        switch account.kind {
        case .available: funds[account.owner, default: FundsSplit()].available += amount
        case .reserved: funds[account.owner, default: FundsSplit()].reserved += amount
        case .bank, .fees, .clearing: break
        }
    }
}

/// A participant's funds, split into available and reserved.
public struct FundsSplit: Hashable, Codable, Sendable {
    public var available: Fen
    public var reserved: Fen

    public init(available: Fen = .zero, reserved: Fen = .zero) {
        self.available = available
        self.reserved = reserved
    }

    public var total: Fen { available + reserved }
}

/// One participant's movements of the day.
private struct Activity {
    struct Fill {
        var trade: String
        var side: TradeSide
        var fill: TradeFill
        var value: Fen
    }

    var deposits = Fen.zero
    var withdrawals = Fen.zero
    var fees = Fen.zero
    var fills: [Fill] = []

    mutating func record(_ entry: FundsEntry) {
        switch entry.kind {
        case .deposit: deposits += entry.amount
        case .withdraw: withdrawals += entry.amount
        case .fee: fees += entry.amount
        case .settleBuyer, .settleSeller:
            guard let fill = entry.fill else { return }
            fills.append(Fill(trade: entry.reference, side: entry.kind == .settleBuyer ? .buy : .sell, fill: fill,
                              value: entry.amount))
        case .reserve, .release: break
        }
    }
}

private struct TradeFeeKey: Hashable {
    var trade: String
    var account: AccountID
    var side: TradeSide
}
