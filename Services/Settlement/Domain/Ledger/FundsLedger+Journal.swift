/// Applying journal entries: the single place where ledger state changes.
///
/// Operations and replay both come through `apply(_:)`, so a ledger rebuilt from its journal
/// is equal to the one that wrote it. `apply` checks the entry's shape and the invariants it
/// could break (sequence, roles, balances, reservations, duplicates); rules that depend on the
/// moment (what is withdrawable today) are checked by the operations before the entry exists.
extension FundsLedger {
    /// Applies one stored or freshly made entry.
    /// - Throws: `SettlementRefusal` when the entry does not fit this ledger; nothing changes then.
    public mutating func apply(_ entry: FundsEntry) throws(SettlementRefusal) {
        try checkShape(entry)
        try checkEffects(entry)
        commit(entry)
    }

    /// Applies entries all or nothing.
    mutating func applyAll(_ entries: [FundsEntry]) throws(SettlementRefusal) {
        var copy = self
        for entry in entries { try copy.apply(entry) }
        self = copy
    }

    private func checkShape(_ entry: FundsEntry) throws(SettlementRefusal) {
        func refuse(_ reason: String) -> SettlementRefusal {
            SettlementRefusal(code: SettlementRefusal.Code.invalidJournal, reason: "entry \(entry.sequence): \(reason)")
        }
        guard entry.sequence == lastSequence + 1 else { throw refuse("expected sequence \(lastSequence + 1)") }
        guard (1...Self.maxAmount).contains(entry.amount.rawValue) else {
            throw SettlementRefusal(code: SettlementRefusal.Code.invalidAmount,
                                    reason: "amount must be 1...\(Self.maxAmount) fen, got \(entry.amount)")
        }
        guard !entry.reference.isEmpty else { throw refuse("reference must not be empty") }
        guard roles(of: entry) else {
            throw refuse("a \(entry.kind.rawValue) cannot move \(entry.credit) -> \(entry.debit)")
        }
        for account in [entry.debit, entry.credit] where account.kind.isParticipant {
            if account.owner.rawValue.isEmpty || rules.isExchangeAccount(account.owner) {
                throw refuse("\(account.owner) is not a participant account")
            }
            if (account.kind == .reserved) != (account.orderId != nil) {
                throw refuse("only a reserved account names an order: \(account)")
            }
        }
        switch entry.kind {
        case .reserve:
            guard let terms = entry.terms, let required = terms.required(for: terms.quantity),
                  required == entry.amount else { throw refuse("a reserve must hold its terms' required amount") }
        case .settleBuyer, .settleSeller:
            guard let value = entry.fill?.value, value == entry.amount else {
                throw refuse("a \(entry.kind.rawValue) must move its fill's value")
            }
        case .deposit, .withdraw, .release, .fee:
            break
        }
    }

    /// Whether the entry's accounts have the roles its kind requires (see `FundsEntry`).
    private func roles(of entry: FundsEntry) -> Bool {
        let (debit, credit) = (entry.debit, entry.credit)
        let sameOwner = debit.owner == credit.owner
        switch entry.kind {
        case .deposit: return debit.kind == .available && credit.kind == .bank && sameOwner
        case .withdraw: return debit.kind == .bank && credit.kind == .available && sameOwner
        case .reserve: return debit.kind == .reserved && credit.kind == .available && sameOwner
        case .release: return debit.kind == .available && credit.kind == .reserved && sameOwner
        case .settleBuyer: return debit == .clearing(rules) && credit.kind == .reserved
        case .settleSeller: return debit.kind == .available && credit == .clearing(rules)
        case .fee: return debit == .fees(rules) && (credit.kind == .reserved || credit.kind == .available)
        }
    }

    private func checkEffects(_ entry: FundsEntry) throws(SettlementRefusal) {
        if entry.credit.kind != .bank, balance(of: entry.credit) < entry.amount {
            throw SettlementRefusal(code: SettlementRefusal.Code.insufficientFunds,
                                    reason: "\(entry.credit) has \(balance(of: entry.credit)), cannot give \(entry.amount)")
        }
        switch entry.kind {
        case .deposit, .withdraw:
            let owner = entry.kind == .deposit ? entry.debit.owner : entry.credit.owner
            if references.contains(ReferenceKey(kind: entry.kind, owner: owner, reference: entry.reference)) {
                throw SettlementRefusal(code: SettlementRefusal.Code.duplicateReference,
                                        reason: "\(entry.kind.rawValue) \(entry.reference) of \(owner) was already recorded")
            }
            // Funds in the market bound every balance; the cumulative total bounds the counters.
            let outstanding = totals.deposited - totals.withdrawn
            if entry.kind == .deposit, outstanding.rawValue > Self.maxOutstanding - entry.amount.rawValue
                || totals.deposited.rawValue > Int64.max / 2 - entry.amount.rawValue {
                throw SettlementRefusal(code: SettlementRefusal.Code.limitExceeded, reason:
                    "depositing \(entry.amount) would take the market's funds above \(Self.maxOutstanding) fen")
            }
        case .reserve:
            if let orderId = entry.debit.orderId, reservations[orderId] != nil {
                throw SettlementRefusal(code: SettlementRefusal.Code.duplicateReservation,
                                        reason: "order \(orderId) already has a reservation")
            }
        case .release:
            _ = try reservationRecord(for: entry.credit)
        case .settleBuyer:
            try checkSettleBuyer(entry)
        case .settleSeller:
            break
        case .fee:
            if entry.credit.kind == .reserved { _ = try reservationRecord(for: entry.credit) }
        }
    }

    private func checkSettleBuyer(_ entry: FundsEntry) throws(SettlementRefusal) {
        let tradeId = TradeID(entry.reference)
        if settledTrades.contains(tradeId) {
            throw SettlementRefusal(code: SettlementRefusal.Code.duplicateTrade, reason: "trade \(tradeId) was already settled")
        }
        let record = try reservationRecord(for: entry.credit)
        guard let fill = entry.fill else { return }
        let remaining = record.terms.quantity - record.filled
        guard fill.quantity <= remaining else {
            throw SettlementRefusal(code: SettlementRefusal.Code.exceedsReservation,
                                    reason: "order \(entry.credit.orderId?.rawValue ?? "") has \(remaining) t unfilled, cannot settle \(fill.quantity) t")
        }
        guard fill.price <= record.terms.limitPrice else {
            throw SettlementRefusal(code: SettlementRefusal.Code.priceAboveLimit,
                                    reason: "trade price \(fill.price) is above the buy limit \(record.terms.limitPrice)")
        }
    }

    /// The reservation behind a reserved account, which must belong to the account's owner.
    private func reservationRecord(for account: FundsAccount) throws(SettlementRefusal) -> ReservationRecord {
        guard let orderId = account.orderId, let record = reservations[orderId] else {
            throw SettlementRefusal(code: SettlementRefusal.Code.unknownReservation,
                                    reason: "order \(account.orderId?.rawValue ?? "?") has no reservation")
        }
        guard record.owner == account.owner else {
            throw SettlementRefusal(code: SettlementRefusal.Code.reservationMismatch,
                                    reason: "order \(orderId) is reserved by \(record.owner), not \(account.owner)")
        }
        return record
    }

    private mutating func commit(_ entry: FundsEntry) {
        move(entry.amount, to: entry.debit)
        move(-entry.amount, to: entry.credit)
        lastSequence = entry.sequence
        totals.add(entry)
        for account in [entry.debit, entry.credit] where account.kind.isParticipant {
            participants.insert(account.owner)
        }
        if entry.debit.kind == .reserved { reservedTotals[entry.debit.owner, default: .zero] += entry.amount }
        if entry.credit.kind == .reserved { reservedTotals[entry.credit.owner, default: .zero] -= entry.amount }
        let today = entry.tradingDay == tradingDay
        switch entry.kind {
        case .deposit, .withdraw:
            let owner = entry.kind == .deposit ? entry.debit.owner : entry.credit.owner
            references.insert(ReferenceKey(kind: entry.kind, owner: owner, reference: entry.reference))
        case .reserve:
            if let orderId = entry.debit.orderId, let terms = entry.terms {
                reservations[orderId] = ReservationRecord(owner: entry.debit.owner, terms: terms, filled: .zero)
            }
        case .settleBuyer:
            settledTrades.insert(TradeID(entry.reference))
            if let orderId = entry.credit.orderId, let fill = entry.fill {
                reservations[orderId]?.filled += fill.quantity
            }
        case .settleSeller:
            if today { proceedsToday[entry.debit.owner, default: .zero] += entry.amount }
        case .fee:
            if today, entry.credit.kind == .available {
                let owner = entry.credit.owner
                proceedsToday[owner] = max(.zero, (proceedsToday[owner] ?? .zero) - entry.amount)
            }
        case .release:
            break
        }
    }

    /// Changes one balance, dropping accounts that return to zero (so equal journals give equal ledgers).
    private mutating func move(_ amount: Fen, to account: FundsAccount) {
        let balance = (balances[account] ?? .zero) + amount
        balances[account] = balance == .zero ? nil : balance
    }
}
