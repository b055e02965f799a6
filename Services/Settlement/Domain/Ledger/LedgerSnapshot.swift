/// The whole ledger at one journal sequence, so that a restart reads it and replays only the
/// entries after it instead of the whole journal (the service stores one at each day's close).
///
/// It holds every field the ledger keeps, as arrays in a fixed order (equal ledgers give equal
/// snapshots and equal bytes, `LedgerSnapshotCodec.swift`), and `FundsLedger(rules:tradingDay:restoring:replaying:)` refuses one whose parts
/// do not agree with each other, so a damaged snapshot is noticed rather than trusted.
public struct LedgerSnapshot: Hashable, Sendable {
    /// The layout this code writes and reads; a stored snapshot of another is not used.
    public static let currentFormat = 1

    public var format: Int
    /// The sequence of the last journal entry the snapshot includes.
    public var sequence: Int64
    public var tradingDay: TradingDay?
    public var totals: FundsTotals
    public var balances: [Balance]
    public var participants: [AccountID]
    public var reservations: [ReservationState]
    public var reservedTotals: [Amount]
    public var proceedsToday: [Amount]
    public var settledTrades: [TradeID]
    public var references: [Reference]

    /// One account's non-zero balance.
    public struct Balance: Hashable, Sendable {
        public var account: FundsAccount
        public var amount: Fen
    }

    /// A buy order's reservation terms and fills (its funds are the reserved account's balance).
    public struct ReservationState: Hashable, Sendable {
        public var orderId: OrderID
        public var owner: AccountID
        public var terms: ReservationTerms
        public var filled: Tonnes
    }

    /// A per-participant amount (reserved in total, proceeds received today).
    public struct Amount: Hashable, Sendable {
        public var owner: AccountID
        public var amount: Fen
    }

    /// A deposit's or withdrawal's bank reference, recorded once per participant.
    public struct Reference: Hashable, Sendable {
        public var kind: FundsEntryKind
        public var owner: AccountID
        public var reference: String
    }
}

extension FundsLedger {
    /// The ledger as it stands, for storing.
    public func snapshot() -> LedgerSnapshot {
        LedgerSnapshot(
            format: LedgerSnapshot.currentFormat, sequence: lastSequence, tradingDay: tradingDay, totals: totals,
            balances: balances.map { LedgerSnapshot.Balance(account: $0.key, amount: $0.value) }
                .sorted { $0.account < $1.account },
            participants: participants.sorted(),
            reservations: reservations.map {
                LedgerSnapshot.ReservationState(orderId: $0.key, owner: $0.value.owner, terms: $0.value.terms,
                                                filled: $0.value.filled)
            }.sorted { $0.orderId < $1.orderId },
            reservedTotals: Self.amounts(reservedTotals),
            proceedsToday: Self.amounts(proceedsToday),
            settledTrades: settledTrades.sorted(),
            references: references.map { LedgerSnapshot.Reference(kind: $0.kind, owner: $0.owner, reference: $0.reference) }
                .sorted { ($0.kind.rawValue, $0.owner, $0.reference) < ($1.kind.rawValue, $1.owner, $1.reference) })
    }

    /// Rebuilds a ledger from `snapshot` and the journal entries after it: the same ledger as
    /// `init(rules:tradingDay:replaying:)` over the whole journal gives.
    /// - Parameters:
    ///   - tradingDay: the current trading day stored with the ledger; never before the
    ///     snapshot's (a later one starts that day, as `startTradingDay` does).
    ///   - tail: the entries after `snapshot.sequence`, in order.
    /// - Throws: `invalid-snapshot` when the snapshot's parts disagree or it is of a later day;
    ///   `invalid-journal` when an entry of the tail does not replay.
    public init(rules: SettlementRules, tradingDay: TradingDay?, restoring snapshot: LedgerSnapshot,
                replaying tail: some Sequence<FundsEntry>) throws(SettlementRefusal) {
        try self.init(rules: rules, restoring: snapshot)
        if tradingDay != self.tradingDay {
            guard let tradingDay else {
                throw Self.invalidSnapshot("it is of trading day \(self.tradingDay?.description ?? "none"), the store has none")
            }
            do {
                _ = try startTradingDay(tradingDay)
            } catch {
                throw Self.invalidSnapshot("it is of trading day \(self.tradingDay?.description ?? "none"), after the "
                    + "store's \(tradingDay)")
            }
        }
        try replay(tail, after: " after the snapshot at \(snapshot.sequence)")
    }

    /// The ledger `snapshot` holds, checked: no repeated key, no zero balance kept, every
    /// reserved account backed by its reservation, the per-participant reserved totals equal to
    /// the reserved accounts, every participant account's owner known, and every invariant of
    /// `invariantViolations`.
    init(rules: SettlementRules, restoring snapshot: LedgerSnapshot) throws(SettlementRefusal) {
        guard snapshot.format == LedgerSnapshot.currentFormat else {
            throw Self.invalidSnapshot("format \(snapshot.format), this code reads \(LedgerSnapshot.currentFormat)")
        }
        guard snapshot.sequence >= 0 else { throw Self.invalidSnapshot("sequence \(snapshot.sequence)") }
        try Self.checkRanges(snapshot)
        try self.init(rules: rules, tradingDay: snapshot.tradingDay)
        lastSequence = snapshot.sequence
        totals = snapshot.totals
        participants = Set(snapshot.participants)
        settledTrades = Set(snapshot.settledTrades)
        guard participants.count == snapshot.participants.count, settledTrades.count == snapshot.settledTrades.count else {
            throw Self.invalidSnapshot("a participant or trade is listed twice")
        }
        var derivedReserved: [AccountID: Fen] = [:]
        for balance in snapshot.balances {
            let account = balance.account
            guard balances.updateValue(balance.amount, forKey: account) == nil else {
                throw Self.invalidSnapshot("account \(account) is listed twice")
            }
            guard balance.amount != .zero else { throw Self.invalidSnapshot("account \(account) is kept at zero") }
            guard account.kind.isParticipant else {
                // The exchange's own accounts: those of the rules the ledger is restored with.
                guard account == .fees(rules) || account == .clearing(rules) else {
                    throw Self.invalidSnapshot("\(account) is not an account of the configured exchange")
                }
                continue
            }
            guard !account.owner.rawValue.isEmpty, !rules.isExchangeAccount(account.owner),
                  (account.kind == .reserved) == (account.orderId != nil) else {
                throw Self.invalidSnapshot("\(account) is not a participant account")
            }
            guard participants.contains(account.owner) else {
                throw Self.invalidSnapshot("\(account) belongs to no known participant")
            }
            if account.kind == .reserved { derivedReserved[account.owner, default: .zero] += balance.amount }
        }
        for state in snapshot.reservations {
            let record = ReservationRecord(owner: state.owner, terms: state.terms, filled: state.filled)
            guard reservations.updateValue(record, forKey: state.orderId) == nil else {
                throw Self.invalidSnapshot("order \(state.orderId) has two reservations")
            }
            guard participants.contains(state.owner), state.filled >= .zero, state.terms.quantity > .zero,
                  state.terms.feeRate.isValid, state.terms.required(for: state.terms.quantity) != nil else {
                throw Self.invalidSnapshot("the reservation of order \(state.orderId) is not one the ledger makes")
            }
        }
        for (account, _) in balances where account.kind == .reserved {
            guard let orderId = account.orderId, reservations[orderId]?.owner == account.owner else {
                throw Self.invalidSnapshot("\(account) has no reservation of its owner")
            }
        }
        reservedTotals = try Self.dictionary(snapshot.reservedTotals, "reserved total")
        proceedsToday = try Self.dictionary(snapshot.proceedsToday, "proceeds")
        for (owner, amount) in reservedTotals where amount != (derivedReserved[owner] ?? .zero) {
            throw Self.invalidSnapshot("\(owner) has \(amount) reserved in total, its reserved accounts hold "
                + "\(derivedReserved[owner] ?? .zero)")
        }
        for (owner, amount) in derivedReserved where reservedTotals[owner] == nil {
            throw Self.invalidSnapshot("\(owner)'s reserved accounts hold \(amount) and it has no reserved total")
        }
        for (owner, amount) in proceedsToday where amount < .zero || !participants.contains(owner) {
            throw Self.invalidSnapshot("\(owner) has proceeds \(amount)")
        }
        for reference in snapshot.references {
            guard reference.kind == .deposit || reference.kind == .withdraw, !reference.reference.isEmpty,
                  references.insert(ReferenceKey(kind: reference.kind, owner: reference.owner,
                                                 reference: reference.reference)).inserted else {
                throw Self.invalidSnapshot("reference \(reference.kind.rawValue) \(reference.reference) of "
                    + "\(reference.owner) is listed twice or is not a bank reference")
            }
        }
        if let broken = invariantViolations.first { throw Self.invalidSnapshot(broken) }
    }

    /// Every number within the bounds the ledger's operations keep, and the balances' magnitudes
    /// summing without overflow, before any arithmetic on them (`invariantViolations` adds them
    /// up): damaged values are refused, never trapped on.
    private static func checkRanges(_ snapshot: LedgerSnapshot) throws(SettlementRefusal) {
        let bound = -maxOutstanding...maxOutstanding
        let totals = snapshot.totals
        for (name, value) in [("deposited", totals.deposited), ("withdrawn", totals.withdrawn), ("fees charged", totals.feesCharged)]
        where !(0...Int64.max / 2).contains(value.rawValue) {
            throw invalidSnapshot("\(name) total \(value) is out of range")
        }
        var magnitude: Int64 = 0
        for balance in snapshot.balances {
            guard bound.contains(balance.amount.rawValue) else { throw invalidSnapshot("\(balance.account) holds \(balance.amount)") }
            let (sum, overflow) = magnitude.addingReportingOverflow(abs(balance.amount.rawValue))
            guard !overflow else { throw invalidSnapshot("the balances add up beyond what the ledger can hold") }
            magnitude = sum
        }
        for amount in snapshot.reservedTotals + snapshot.proceedsToday where !bound.contains(amount.amount.rawValue) {
            throw invalidSnapshot("\(amount.owner) has an amount of \(amount.amount)")
        }
        for state in snapshot.reservations {
            let terms = state.terms
            guard (1...maxQuantity).contains(terms.quantity.rawValue), (1...maxAmount).contains(terms.limitPrice.rawValue),
                  terms.feeRate.isValid, (0...terms.quantity.rawValue).contains(state.filled.rawValue) else {
                throw invalidSnapshot("the reservation of order \(state.orderId) is not one the ledger makes")
            }
        }
    }

    private static func amounts(_ dictionary: [AccountID: Fen]) -> [LedgerSnapshot.Amount] {
        dictionary.map { LedgerSnapshot.Amount(owner: $0.key, amount: $0.value) }.sorted { $0.owner < $1.owner }
    }

    private static func dictionary(_ amounts: [LedgerSnapshot.Amount], _ what: String) throws(SettlementRefusal)
        -> [AccountID: Fen] {
        var dictionary: [AccountID: Fen] = [:]
        for amount in amounts where dictionary.updateValue(amount.amount, forKey: amount.owner) != nil {
            throw invalidSnapshot("\(amount.owner)'s \(what) is listed twice")
        }
        return dictionary
    }

    private static func invalidSnapshot(_ reason: String) -> SettlementRefusal {
        SettlementRefusal(code: SettlementRefusal.Code.invalidSnapshot, reason: "ledger snapshot: \(reason)")
    }
}
