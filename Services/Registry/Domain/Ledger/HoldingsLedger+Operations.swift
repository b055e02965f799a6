/// The registry's operations on holdings, one per event of the order saga and compliance.
///
/// Each checks its business rule, then makes one `JournalEntry`, applies it and returns it
/// for the service to store. A refusal throws before anything changes.
extension HoldingsLedger {
    /// Issues free allocation (or any authority issuance) to `owner`.
    /// - Parameter reference: the caller's id (e.g. `allocation:2020:pre`); the same reference
    ///   for the same owner and instrument is refused as `duplicate-reference`.
    /// - Throws: `invalid-quantity`, `unknown-account`, `duplicate-reference`.
    @discardableResult
    public mutating func issue(to owner: String, _ instrument: Instrument, quantity: Int,
                               reference: String) throws(RegistryRefusal) -> JournalEntry {
        try checkBasics(owner: owner, instrument, quantity: quantity, reference: reference)
        return try record(.issue, debit: .available(owner, instrument), credit: .issuance(instrument),
                          quantity: quantity, reference: reference)
    }

    /// Takes back allowances (a negative true-up) from `owner`'s unfrozen allowances.
    /// - Throws: `invalid-quantity`, `unknown-account`, `duplicate-reference`,
    ///   `insufficient-allowances` (frozen allowances are promised to sell orders).
    @discardableResult
    public mutating func clawBack(from owner: String, _ instrument: Instrument, quantity: Int,
                                  reference: String) throws(RegistryRefusal) -> JournalEntry {
        try checkBasics(owner: owner, instrument, quantity: quantity, reference: reference)
        try checkAvailable(owner, instrument, quantity, for: "claw back")
        return try record(.clawback, debit: .issuance(instrument), credit: .available(owner, instrument),
                          quantity: quantity, reference: reference)
    }

    /// Freezes `quantity` for sell order `orderId`: at most the sellable balance
    /// (held - frozen - acquired today).
    /// - Throws: `invalid-quantity`, `unknown-account`, `duplicate-hold` (one hold per order),
    ///   `insufficient-sellable-allowances`.
    @discardableResult
    public mutating func freeze(orderId: String, owner: String, _ instrument: Instrument,
                                quantity: Int) throws(RegistryRefusal) -> JournalEntry {
        try checkBasics(owner: owner, instrument, quantity: quantity, reference: orderId)
        if holds[orderId] != nil {
            throw RegistryRefusal(code: RefusalCode.duplicateHold, reason: "order \(orderId) already has a hold")
        }
        let holding = holding(of: owner, instrument)
        guard quantity <= holding.sellable else {
            throw RegistryRefusal(code: RefusalCode.insufficientSellable, reason: """
                \(owner) can sell \(holding.sellable) \(instrument.rawValue) (held \(holding.held), frozen \
                \(holding.frozen), acquired today \(holding.acquiredToday)), cannot freeze \(quantity)
                """)
        }
        return try record(.freeze, debit: .frozen(owner, instrument), credit: .available(owner, instrument),
                          quantity: quantity, reference: orderId, orderId: orderId)
    }

    /// Releases `quantity` of sell order `orderId`'s hold (cancel, expiry, rejection).
    /// - Throws: `invalid-quantity`, `unknown-hold`, `exceeds-hold` (more than remains frozen).
    @discardableResult
    public mutating func unfreeze(orderId: String, quantity: Int) throws(RegistryRefusal) -> JournalEntry {
        try checkQuantity(quantity)
        guard let hold = holds[orderId] else {
            throw RegistryRefusal(code: RefusalCode.unknownHold, reason: "order \(orderId) has no hold")
        }
        try checkHold(orderId, owner: hold.owner, instrument: hold.instrument, quantity: quantity)
        return try record(.unfreeze, debit: .available(hold.owner, hold.instrument),
                          credit: .frozen(hold.owner, hold.instrument), quantity: quantity,
                          reference: orderId, orderId: orderId)
    }

    /// Releases whatever remains of `orderId`'s hold; `nil` when nothing remains (the order
    /// filled), so a late cancel is harmless.
    /// - Throws: `unknown-hold`.
    public mutating func releaseHold(orderId: String) throws(RegistryRefusal) -> JournalEntry? {
        guard let hold = holds[orderId] else {
            throw RegistryRefusal(code: RefusalCode.unknownHold, reason: "order \(orderId) has no hold")
        }
        return hold.remaining == 0 ? nil : try unfreeze(orderId: orderId, quantity: hold.remaining)
    }

    /// Delivers a trade: moves `quantity` from the seller's hold for `sellOrderId` to the
    /// buyer, who cannot sell them before the next trading day.
    /// - Throws: `duplicate-trade` (each trade settles once), `invalid-quantity`,
    ///   `unknown-hold`, `hold-mismatch` (the hold is another seller's or instrument's),
    ///   `unknown-account` (buyer), `exceeds-hold`.
    @discardableResult
    public mutating func transfer(tradeId: String, sellOrderId: String, from seller: String, to buyer: String,
                                  _ instrument: Instrument, quantity: Int) throws(RegistryRefusal) -> JournalEntry {
        if trades.contains(tradeId) {
            throw RegistryRefusal(code: RefusalCode.duplicateTrade, reason: "trade \(tradeId) was already transferred")
        }
        try checkBasics(owner: buyer, instrument, quantity: quantity, reference: tradeId)
        try checkHold(sellOrderId, owner: seller, instrument: instrument, quantity: quantity)
        return try record(.transfer, debit: .available(buyer, instrument), credit: .frozen(seller, instrument),
                          quantity: quantity, reference: tradeId, orderId: sellOrderId)
    }

    /// Retires `quantity` of `owner`'s unfrozen holdings toward compliance.
    /// Allowances bought today may be surrendered: T+1 limits selling, not surrendering.
    /// - Throws: `invalid-quantity`, `unknown-account`, `duplicate-reference`, `insufficient-allowances`.
    @discardableResult
    public mutating func surrender(from owner: String, _ instrument: Instrument, quantity: Int,
                                   reference: String) throws(RegistryRefusal) -> JournalEntry {
        try checkBasics(owner: owner, instrument, quantity: quantity, reference: reference)
        try checkAvailable(owner, instrument, quantity, for: "surrender")
        return try record(.surrender, debit: .retirement(owner, instrument), credit: .available(owner, instrument),
                          quantity: quantity, reference: reference)
    }

    /// Starts trading day `day`: what was acquired before becomes sellable. Starting the
    /// current day again is a no-op (returns false), so one call per instrument session is fine.
    /// - Throws: `stale-trading-day` for a day before the current one.
    @discardableResult
    public mutating func startTradingDay(_ day: CalendarDay) throws(RegistryRefusal) -> Bool {
        if let current = tradingDay {
            if day == current { return false }
            if day < current {
                throw RegistryRefusal(code: RefusalCode.staleTradingDay,
                                      reason: "trading day \(day) is before the current trading day \(current)")
            }
        }
        tradingDay = day
        acquired = [:]
        return true
    }

    private mutating func record(_ kind: EntryKind, debit: LedgerAccount, credit: LedgerAccount, quantity: Int,
                                 reference: String, orderId: String? = nil) throws(RegistryRefusal) -> JournalEntry {
        let entry = JournalEntry(sequence: lastSequence + 1, kind: kind, debit: debit, credit: credit,
                                 quantity: quantity, reference: reference, orderId: orderId, tradingDay: tradingDay)
        try apply(entry)
        return entry
    }

    private func checkQuantity(_ quantity: Int) throws(RegistryRefusal) {
        guard (1...Self.maxQuantity).contains(quantity) else {
            throw RegistryRefusal(code: RefusalCode.invalidQuantity,
                                  reason: "quantity must be 1...\(Self.maxQuantity) tonnes, got \(quantity)")
        }
    }

    private func checkBasics(owner: String, _ instrument: Instrument, quantity: Int,
                             reference: String) throws(RegistryRefusal) {
        try checkQuantity(quantity)
        if !instrument.isWellFormed {
            throw RegistryRefusal(code: RefusalCode.invalidInstrument,
                                  reason: "instrument '\(instrument)' is not 1-32 of A-Z 0-9 -")
        }
        if reference.isEmpty {
            throw RegistryRefusal(code: RefusalCode.invalidReference, reason: "reference must not be empty")
        }
        if !owners.contains(owner) {
            throw RegistryRefusal(code: RefusalCode.unknownAccount, reason: "no account is open for \(owner)")
        }
    }

    private func checkAvailable(_ owner: String, _ instrument: Instrument, _ quantity: Int,
                                for action: String) throws(RegistryRefusal) {
        let available = holding(of: owner, instrument).available
        guard quantity <= available else {
            throw RegistryRefusal(code: RefusalCode.insufficientAllowances,
                                  reason: "\(owner) has \(available) unfrozen \(instrument.rawValue), cannot \(action) \(quantity)")
        }
    }
}
