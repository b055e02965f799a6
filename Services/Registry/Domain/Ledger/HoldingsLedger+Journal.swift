/// Applying journal entries: the single place where ledger state changes.
///
/// Operations and replay both come through `apply(_:)`, so a ledger rebuilt from its journal
/// is equal to the one that wrote it. `apply` checks the entry's shape and the invariants it
/// could break (sequence, roles, balances, holds, duplicates); business rules that depend on
/// the moment (what is sellable today) are checked by the operations before the entry exists.
extension HoldingsLedger {
    /// Applies one stored or freshly made entry.
    /// - Throws: `RegistryRefusal` when the entry does not fit this ledger; nothing changes then.
    public mutating func apply(_ entry: JournalEntry) throws(RegistryRefusal) {
        try checkShape(entry)
        try checkEffects(entry)
        commit(entry)
    }

    private func checkShape(_ entry: JournalEntry) throws(RegistryRefusal) {
        func refuse(_ reason: String) -> RegistryRefusal {
            RegistryRefusal(code: RefusalCode.invalidJournal, reason: "entry \(entry.sequence): \(reason)")
        }
        guard entry.sequence == lastSequence + 1 else {
            throw refuse("expected sequence \(lastSequence + 1)")
        }
        guard (1...Self.maxQuantity).contains(entry.quantity) else {
            throw RegistryRefusal(code: RefusalCode.invalidQuantity,
                                  reason: "quantity must be 1...\(Self.maxQuantity) tonnes, got \(entry.quantity)")
        }
        let (debitRole, creditRole) = JournalEntry.roles(of: entry.kind)
        guard entry.debit.kind == debitRole, entry.credit.kind == creditRole,
              entry.debit.instrument == entry.credit.instrument else {
            throw refuse("a \(entry.kind.rawValue) moves \(creditRole.rawValue) -> \(debitRole.rawValue) of one instrument")
        }
        let sameOwner = entry.debit.owner == entry.credit.owner
        switch entry.kind {
        case .freeze, .unfreeze, .surrender:
            guard sameOwner else { throw refuse("a \(entry.kind.rawValue) stays within one owner") }
        case .issue, .clawback:
            let authority = entry.kind == .issue ? entry.credit : entry.debit
            guard authority.owner == LedgerAccount.authority else { throw refuse("issuance account owner must be authority") }
        case .transfer:
            break
        }
        if entry.reference.isEmpty { throw refuse("reference must not be empty") }
        for account in [entry.debit, entry.credit] where account.kind != .issuance && !owners.contains(account.owner) {
            throw RegistryRefusal(code: RefusalCode.unknownAccount, reason: "no account is open for \(account.owner)")
        }
    }

    private func checkEffects(_ entry: JournalEntry) throws(RegistryRefusal) {
        let instrument = entry.debit.instrument
        if entry.credit.kind != .issuance, balance(of: entry.credit) < entry.quantity {
            throw RegistryRefusal(code: RefusalCode.insufficientAllowances,
                                  reason: "\(entry.credit) has \(balance(of: entry.credit)), cannot give \(entry.quantity)")
        }
        switch entry.kind {
        case .issue, .clawback, .surrender:
            let owner = entry.kind == .clawback ? entry.credit.owner : entry.debit.owner
            if references.contains(ReferenceKey(kind: entry.kind, reference: entry.reference, owner: owner, instrument: instrument)) {
                throw RegistryRefusal(code: RefusalCode.duplicateReference, reason:
                    "\(entry.kind.rawValue) \(entry.reference) for \(owner) \(instrument.rawValue) was already recorded")
            }
            if entry.kind == .issue, totals(of: instrument).outstanding > Self.maxOutstanding - entry.quantity {
                throw RegistryRefusal(code: RefusalCode.invalidQuantity,
                                      reason: "issuing \(entry.quantity) would exceed \(Self.maxOutstanding) in circulation")
            }
        case .freeze:
            guard let orderId = entry.orderId, !orderId.isEmpty else { throw missingOrder(entry) }
            if holds[orderId] != nil {
                throw RegistryRefusal(code: RefusalCode.duplicateHold, reason: "order \(orderId) already has a hold")
            }
        case .unfreeze, .transfer:
            guard let orderId = entry.orderId else { throw missingOrder(entry) }
            if entry.kind == .transfer, trades.contains(entry.reference) {
                throw RegistryRefusal(code: RefusalCode.duplicateTrade, reason: "trade \(entry.reference) was already transferred")
            }
            try checkHold(orderId, owner: entry.credit.owner, instrument: instrument, quantity: entry.quantity)
        }
    }

    /// Checks that `orderId` holds at least `quantity` of `owner`'s `instrument`.
    func checkHold(_ orderId: String, owner: String, instrument: Instrument, quantity: Int) throws(RegistryRefusal) {
        guard let hold = holds[orderId] else {
            throw RegistryRefusal(code: RefusalCode.unknownHold, reason: "order \(orderId) has no hold")
        }
        guard hold.owner == owner, hold.instrument == instrument else {
            throw RegistryRefusal(code: RefusalCode.holdMismatch, reason:
                "order \(orderId) holds \(hold.instrument.rawValue) of \(hold.owner), not \(instrument.rawValue) of \(owner)")
        }
        guard quantity <= hold.remaining else {
            throw RegistryRefusal(code: RefusalCode.exceedsHold,
                                  reason: "order \(orderId) has \(hold.remaining) frozen, cannot use \(quantity)")
        }
    }

    private func missingOrder(_ entry: JournalEntry) -> RegistryRefusal {
        RegistryRefusal(code: RefusalCode.invalidJournal, reason: "entry \(entry.sequence): a \(entry.kind.rawValue) needs an orderId")
    }

    private mutating func commit(_ entry: JournalEntry) {
        let instrument = entry.debit.instrument
        balances[entry.debit, default: 0] += entry.quantity
        balances[entry.credit, default: 0] -= entry.quantity
        lastSequence = entry.sequence
        let orderId = entry.orderId ?? ""
        switch entry.kind {
        case .issue:
            issued[instrument, default: 0] += entry.quantity
            references.insert(ReferenceKey(kind: .issue, reference: entry.reference, owner: entry.debit.owner, instrument: instrument))
        case .clawback:
            clawedBack[instrument, default: 0] += entry.quantity
            references.insert(ReferenceKey(kind: .clawback, reference: entry.reference, owner: entry.credit.owner, instrument: instrument))
        case .surrender:
            references.insert(ReferenceKey(kind: .surrender, reference: entry.reference, owner: entry.debit.owner, instrument: instrument))
        case .freeze:
            holds[orderId] = Hold(orderId: orderId, owner: entry.debit.owner, instrument: instrument,
                                  quantity: entry.quantity, remaining: entry.quantity)
        case .unfreeze:
            holds[orderId]?.remaining -= entry.quantity
        case .transfer:
            holds[orderId]?.remaining -= entry.quantity
            trades.insert(entry.reference)
            if entry.tradingDay == tradingDay {
                acquired[HoldingKey(owner: entry.debit.owner, instrument: instrument), default: 0] += entry.quantity
            }
        }
    }
}
