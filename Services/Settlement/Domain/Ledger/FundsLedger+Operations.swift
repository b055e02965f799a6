/// The ledger's operations on a participant's funds: deposit, withdraw, reserve, release and
/// the start of a trading day (settling a trade is in `FundsLedger+Settle.swift`).
///
/// Each checks its business rule, then makes its entry, applies it and returns it for the
/// service to store. A refusal throws before anything changes.
extension FundsLedger {
    /// Credits money paid in by `account`'s bank; the first deposit opens the account.
    /// - Parameter reference: the bank's transfer reference; the same reference twice for the
    ///   same participant is refused, so a bank's retry cannot credit twice.
    /// - Throws: `invalid-account`, `invalid-amount`, `invalid-reference`, `duplicate-reference`,
    ///   `funds-limit-exceeded`.
    @discardableResult
    public mutating func deposit(to account: AccountID, amount: Fen,
                                 reference: String) throws(SettlementRefusal) -> FundsEntry {
        try checkParticipant(account)
        try checkAmount(amount)
        try checkReference(reference)
        return try record(.deposit, debit: .available(account), credit: .bank(account), amount: amount,
                          reference: reference)
    }

    /// Pays money out to `account`'s bank, at most what is withdrawable now (today's sale
    /// proceeds wait for the next trading day; reserved funds are not available).
    /// - Throws: `invalid-account`, `unknown-account`, `invalid-amount`, `invalid-reference`,
    ///   `duplicate-reference`, `insufficient-withdrawable-funds`.
    @discardableResult
    public mutating func withdraw(from account: AccountID, amount: Fen,
                                  reference: String) throws(SettlementRefusal) -> FundsEntry {
        try checkKnown(account)
        try checkAmount(amount)
        try checkReference(reference)
        let balances = balances(of: account)
        guard amount <= balances.withdrawable else {
            throw SettlementRefusal(code: SettlementRefusal.Code.insufficientWithdrawable, reason: """
                \(account) can withdraw \(balances.withdrawable) fen (available \(balances.available), \
                today's proceeds \(balances.proceedsToday), reserved \(balances.reserved)), not \(amount)
                """)
        }
        return try record(.withdraw, debit: .bank(account), credit: .available(account), amount: amount,
                          reference: reference)
    }

    /// Holds a buy order's funds before matching admits it: `quantity x (limitPrice + maximum
    /// fee per tonne)`, where the maximum fee per tonne is the fee on one tonne at the limit
    /// price rounded up (`FeeRate.maximumFeePerTonne`), enough for any split into fills.
    /// - Parameters:
    ///   - feeRate: the buyer's fee rate for this order; `nil` takes the rules' rate.
    /// - Returns: the reserve entry; its `amount` is `FundsReserved.amount`.
    /// - Throws: `invalid-account`, `unknown-account`, `invalid-quantity`, `invalid-price`,
    ///   `invalid-fee-rate`, `invalid-amount` (the hold would exceed `maxAmount`),
    ///   `duplicate-reservation` (one reservation per order id, ever), `insufficient-funds`.
    @discardableResult
    public mutating func reserve(orderId: OrderID, account: AccountID, quantity: Tonnes, limitPrice: Fen,
                                 feeRate: FeeRate? = nil) throws(SettlementRefusal) -> FundsEntry {
        try checkKnown(account)
        try checkReference(orderId.rawValue)
        try checkQuantity(quantity)
        try checkPrice(limitPrice)
        let terms = ReservationTerms(quantity: quantity, limitPrice: limitPrice, feeRate: feeRate ?? rules.feeRate)
        guard terms.feeRate.isValid else {
            throw SettlementRefusal(code: SettlementRefusal.Code.invalidFeeRate,
                                    reason: "fee rate must be 0...1000000 ppm, got \(terms.feeRate)")
        }
        guard let amount = terms.required(for: quantity), amount.rawValue <= Self.maxAmount else {
            throw SettlementRefusal(code: SettlementRefusal.Code.invalidAmount,
                                    reason: "\(quantity) t at \(limitPrice) plus fees exceeds \(Self.maxAmount) fen")
        }
        if reservations[orderId] != nil {
            throw SettlementRefusal(code: SettlementRefusal.Code.duplicateReservation,
                                    reason: "order \(orderId) already has a reservation")
        }
        let available = balance(of: .available(account))
        guard amount <= available else {
            throw SettlementRefusal(code: SettlementRefusal.Code.insufficientFunds, reason: """
                \(account) has \(available) fen available, order \(orderId) needs \(amount) \
                (\(quantity) t x \(limitPrice) + max fee \(terms.feeRate.maximumFeePerTonne(at: limitPrice)) per t)
                """)
        }
        return try record(.reserve, debit: .reserved(account, orderId), credit: .available(account),
                          amount: amount, reference: orderId.rawValue, terms: terms)
    }

    /// Releases whatever remains reserved for `orderId` (OrderCancelled, OrderExpired,
    /// OrderRejected), closing the reservation: no later trade may settle against it.
    ///
    /// A no-op returning `nil` when the order has no reservation (a sell order, or a buy order
    /// whose reserve was refused: matching reports both) or nothing remains (filled or already
    /// released), so a late or repeated cancel is harmless. The service may check
    /// `reservation(for:)` first if it must tell these apart.
    /// - Throws: only if the ledger's own state is inconsistent (`insufficient-funds` and the like).
    @discardableResult
    public mutating func release(orderId: OrderID) throws(SettlementRefusal) -> FundsEntry? {
        guard let reservation = reservation(for: orderId), reservation.isOpen else { return nil }
        return try record(.release, debit: .available(reservation.accountId),
                          credit: .reserved(reservation.accountId, orderId), amount: reservation.amount,
                          reference: orderId.rawValue)
    }

    /// Starts trading day `day`: proceeds received before it become withdrawable. Starting the
    /// current day again is a no-op (returns false), so one call per session open is fine.
    /// - Throws: `stale-trading-day` for a day before the current one.
    @discardableResult
    public mutating func startTradingDay(_ day: TradingDay) throws(SettlementRefusal) -> Bool {
        if let current = tradingDay {
            if day == current { return false }
            if day < current {
                throw SettlementRefusal(code: SettlementRefusal.Code.staleTradingDay,
                                        reason: "trading day \(day) is before the current trading day \(current)")
            }
        }
        tradingDay = day
        proceedsToday = [:]
        return true
    }

    // MARK: Helpers shared with settlement

    /// Makes the next entry, applies it and returns it.
    mutating func record(_ kind: FundsEntryKind, debit: FundsAccount, credit: FundsAccount, amount: Fen,
                         reference: String, terms: ReservationTerms? = nil) throws(SettlementRefusal) -> FundsEntry {
        let entry = FundsEntry(sequence: lastSequence + 1, kind: kind, debit: debit, credit: credit, amount: amount,
                               reference: reference, tradingDay: tradingDay, terms: terms)
        try apply(entry)
        return entry
    }

    func checkParticipant(_ account: AccountID) throws(SettlementRefusal) {
        if account.rawValue.isEmpty || rules.isExchangeAccount(account) {
            throw SettlementRefusal(code: SettlementRefusal.Code.invalidAccount,
                                    reason: "'\(account)' is not a participant account id")
        }
    }

    func checkKnown(_ account: AccountID) throws(SettlementRefusal) {
        try checkParticipant(account)
        guard participants.contains(account) else {
            throw SettlementRefusal(code: SettlementRefusal.Code.unknownAccount,
                                    reason: "\(account) has no funds account (no deposit or proceeds yet)")
        }
    }

    func checkAmount(_ amount: Fen) throws(SettlementRefusal) {
        guard (1...Self.maxAmount).contains(amount.rawValue) else {
            throw SettlementRefusal(code: SettlementRefusal.Code.invalidAmount,
                                    reason: "amount must be 1...\(Self.maxAmount) fen, got \(amount)")
        }
    }

    func checkQuantity(_ quantity: Tonnes) throws(SettlementRefusal) {
        guard (1...Self.maxQuantity).contains(quantity.rawValue) else {
            throw SettlementRefusal(code: SettlementRefusal.Code.invalidQuantity,
                                    reason: "quantity must be 1...\(Self.maxQuantity) t, got \(quantity)")
        }
    }

    func checkPrice(_ price: Fen) throws(SettlementRefusal) {
        guard (1...Self.maxAmount).contains(price.rawValue) else {
            throw SettlementRefusal(code: SettlementRefusal.Code.invalidPrice,
                                    reason: "price must be 1...\(Self.maxAmount) fen per t, got \(price)")
        }
    }

    func checkReference(_ reference: String) throws(SettlementRefusal) {
        guard !reference.isEmpty, reference.utf8.count <= 128 else {
            throw SettlementRefusal(code: SettlementRefusal.Code.invalidReference,
                                    reason: "reference must be 1...128 bytes, got \(reference.utf8.count)")
        }
    }
}
