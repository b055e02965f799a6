/// Settlement's double-entry funds ledger: deposits, reservations, trades and fees.
///
/// A value: operations (`FundsLedger+Operations.swift`, `FundsLedger+Settle.swift`) check the
/// business rules, then produce `FundsEntry` rows and apply them; a refused operation throws a
/// `SettlementRefusal` and changes nothing. The service persists the returned entries row by
/// row and rebuilds the ledger at start with `init(rules:tradingDay:replaying:)`, or from a
/// snapshot and the entries after it (`LedgerSnapshot`), so balances are always derivable from
/// the journal. Invariants (`invariantViolations`): no account but a
/// bank is negative, the clearing account is zero, the fee account equals the fees charged,
/// participants hold deposits - withdrawals - fees, and every open reservation holds what its
/// unfilled remainder needs.
///
/// Pure and deterministic: no clock (the day is an input), no I/O.
public struct FundsLedger: Sendable, Hashable {
    /// Largest single amount, price or reservation, in fen (about 92 trillion CNY), as in the contract.
    public static let maxAmount: Int64 = Int64.max / 1000
    /// Largest quantity of one order or trade, in tonnes, as in the contract.
    public static let maxQuantity: Int64 = 1_000_000_000_000
    /// Largest sum of all deposits outstanding (deposits - withdrawals); bounds every balance
    /// and total so that no sum the ledger forms can overflow.
    public static let maxOutstanding: Int64 = Int64.max / 4

    /// The rules the ledger was opened with.
    public let rules: SettlementRules
    /// Sequence of the last applied entry (0 when empty); the next entry gets `lastSequence + 1`.
    public internal(set) var lastSequence: Int64 = 0
    /// The current trading day; proceeds received on it are not withdrawable yet.
    public internal(set) var tradingDay: TradingDay?
    /// What the journal has moved in and out, and charged.
    public internal(set) var totals = FundsTotals()

    var balances: [FundsAccount: Fen] = [:]
    var participants: Set<AccountID> = []
    var reservations: [OrderID: ReservationRecord] = [:]
    var reservedTotals: [AccountID: Fen] = [:]
    var proceedsToday: [AccountID: Fen] = [:]
    var settledTrades: Set<TradeID> = []
    var references: Set<ReferenceKey> = []

    /// An empty ledger.
    /// - Throws: `invalid-rules` when `rules` cannot be used (see `SettlementRules.validate`).
    public init(rules: SettlementRules = .standard, tradingDay: TradingDay? = nil) throws(SettlementRefusal) {
        try rules.validate()
        self.rules = rules
        self.tradingDay = tradingDay
    }

    /// Rebuilds a ledger from its stored journal.
    /// - Parameters:
    ///   - rules: the rules in force (the fee and clearing account ids must be those of the journal).
    ///   - tradingDay: the current trading day stored with the ledger (the last `startTradingDay`).
    ///   - entries: the journal in sequence order, starting at 1.
    /// - Throws: `invalid-rules`; `invalid-journal` when an entry breaks the sequence, a role
    ///   or a balance (a corrupt or incomplete journal).
    public init(rules: SettlementRules = .standard, tradingDay: TradingDay?,
                replaying entries: some Sequence<FundsEntry>) throws(SettlementRefusal) {
        try self.init(rules: rules, tradingDay: tradingDay)
        try replay(entries, after: "")
    }

    /// Applies stored entries in order; `context` ends the refusal's "cannot be replayed"
    /// (" after the snapshot at N", say).
    mutating func replay(_ entries: some Sequence<FundsEntry>, after context: String) throws(SettlementRefusal) {
        for entry in entries {
            do {
                try apply(entry)
            } catch {
                throw SettlementRefusal(code: SettlementRefusal.Code.invalidJournal,
                                        reason: "journal entry \(entry.sequence) cannot be replayed\(context): \(error.reason)")
            }
        }
    }

    // MARK: Queries

    /// The balance of one account (debits minus credits).
    public func balance(of account: FundsAccount) -> Fen { balances[account] ?? .zero }

    /// Whether `account` has ever deposited or received proceeds.
    public func isKnown(_ account: AccountID) -> Bool { participants.contains(account) }

    /// Every participant the ledger knows, sorted.
    public var knownParticipants: [AccountID] { participants.sorted() }

    /// A participant's balances now.
    public func balances(of account: AccountID) -> ParticipantBalances {
        let available = balance(of: .available(account))
        let proceeds = proceedsToday[account] ?? .zero
        let locked = rules.proceedsWithdrawableNextTradingDay ? proceeds : .zero
        return ParticipantBalances(accountId: account, available: available,
                                   reserved: reservedTotals[account] ?? .zero, proceedsToday: proceeds,
                                   withdrawable: max(.zero, available - locked))
    }

    /// The reservation of buy order `orderId`, also after it closed; `nil` if it never had one.
    public func reservation(for orderId: OrderID) -> Reservation? {
        guard let record = reservations[orderId] else { return nil }
        return Reservation(orderId: orderId, accountId: record.owner, terms: record.terms, filled: record.filled,
                           amount: balance(of: .reserved(record.owner, orderId)))
    }

    /// Every reservation that still holds funds, by order id.
    public var openReservations: [Reservation] {
        reservations.keys.sorted().compactMap { reservation(for: $0) }.filter(\.isOpen)
    }

    /// Whether trade `tradeId`'s funds leg has been settled.
    public func hasSettled(tradeId: TradeID) -> Bool { settledTrades.contains(tradeId) }

    /// The exchange's fee account balance.
    public var feeAccountBalance: Fen { balance(of: .fees(rules)) }

    /// Every non-zero account balance: the balance sheet a reconciliation checks.
    public var balanceSheet: [FundsAccount: Fen] { balances }

    /// Every broken invariant, in words; empty for a sound ledger. Linear in accounts and
    /// reservations: cheap enough for tests and for the service's quiet-point checks.
    public var invariantViolations: [String] {
        var violations: [String] = []
        var sum = Fen.zero
        var participantFunds = Fen.zero
        for (account, balance) in balances {
            sum += balance
            if account.kind != .bank, balance < .zero { violations.append("\(account) is negative: \(balance)") }
            if account.kind == .available || account.kind == .reserved { participantFunds += balance }
        }
        if sum != .zero { violations.append("debits and credits differ by \(sum)") }
        if participantFunds != totals.participantFunds {
            violations.append("participants hold \(participantFunds), deposits - withdrawals - fees is \(totals.participantFunds)")
        }
        if feeAccountBalance != totals.feesCharged {
            violations.append("fee account holds \(feeAccountBalance), fees charged \(totals.feesCharged)")
        }
        let clearing = balance(of: .clearing(rules))
        if clearing != .zero { violations.append("clearing account is \(clearing), not zero") }
        for reservation in reservations.keys.compactMap({ reservation(for: $0) }) {
            if reservation.filled > reservation.terms.quantity {
                violations.append("order \(reservation.orderId) filled \(reservation.filled) of \(reservation.terms.quantity)")
            }
            if reservation.isOpen, reservation.amount < reservation.required {
                violations.append("order \(reservation.orderId) holds \(reservation.amount), "
                    + "its remaining \(reservation.remaining) t needs \(reservation.required)")
            }
        }
        return violations
    }
}

/// What the ledger remembers of a reservation besides its account balance.
struct ReservationRecord: Hashable, Sendable {
    var owner: AccountID
    var terms: ReservationTerms
    var filled: Tonnes
}

/// The idempotency key of deposits and withdrawals: a bank reference counts once per participant.
struct ReferenceKey: Hashable, Sendable {
    var kind: FundsEntryKind
    var owner: AccountID
    var reference: String
}
