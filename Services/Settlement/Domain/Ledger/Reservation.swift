/// A buy order's reservation as the ledger sees it now.
///
/// `amount` is the balance of the order's reserved account. While the order is open the
/// ledger keeps `amount == required`: what the unfilled remainder needs at the limit price
/// plus its maximum fee; every fill releases the rest at once. A reservation is *closed* when
/// nothing is left in it: fully filled, or released on cancel, expiry or rejection.
public struct Reservation: Hashable, Codable, Sendable {
    public var orderId: OrderID
    public var accountId: AccountID
    public var terms: ReservationTerms
    /// Tonnes settled against this reservation so far.
    public var filled: Tonnes
    /// Fen still held for the order.
    public var amount: Fen

    public init(orderId: OrderID, accountId: AccountID, terms: ReservationTerms, filled: Tonnes, amount: Fen) {
        self.orderId = orderId
        self.accountId = accountId
        self.terms = terms
        self.filled = filled
        self.amount = amount
    }

    /// Tonnes of the order not yet filled (also after a cancel: what was never bought).
    public var remaining: Tonnes { terms.quantity - filled }

    /// Whether anything is still held. An open order always holds at least one fen per
    /// unfilled tonne, so an empty reservation is a closed one.
    public var isOpen: Bool { amount > .zero }

    /// What the reservation must hold: `remaining x (limit price + maximum fee per tonne)`
    /// while open, zero once closed.
    public var required: Fen { isOpen ? terms.required(for: remaining) ?? .zero : .zero }
}

/// A participant's balances, in fen.
public struct ParticipantBalances: Hashable, Codable, Sendable {
    public var accountId: AccountID
    /// Free to reserve for buy orders (includes today's sale proceeds).
    public var available: Fen
    /// Held for the participant's open buy orders.
    public var reserved: Fen
    /// Today's net sale proceeds (value minus seller fee), not withdrawable before the next
    /// trading day when the rules say so.
    public var proceedsToday: Fen
    /// What a withdrawal may take now: `max(0, available - proceedsToday)` when proceeds wait
    /// for the next trading day, else `available`. Spending on reservations is taken from
    /// withdrawable money first, so proceeds never leave before their day (no loophole through
    /// reserve-then-cancel).
    public var withdrawable: Fen

    public init(accountId: AccountID, available: Fen, reserved: Fen, proceedsToday: Fen, withdrawable: Fen) {
        self.accountId = accountId
        self.available = available
        self.reserved = reserved
        self.proceedsToday = proceedsToday
        self.withdrawable = withdrawable
    }

    /// Everything the participant has in the market: available plus reserved.
    public var funds: Fen { available + reserved }
}

/// Running totals of the journal: what came in, went out and was charged.
public struct FundsTotals: Hashable, Codable, Sendable {
    public var deposited: Fen = .zero
    public var withdrawn: Fen = .zero
    public var feesCharged: Fen = .zero

    public init(deposited: Fen = .zero, withdrawn: Fen = .zero, feesCharged: Fen = .zero) {
        self.deposited = deposited
        self.withdrawn = withdrawn
        self.feesCharged = feesCharged
    }

    /// What participants must hold together: deposits - withdrawals - fees.
    public var participantFunds: Fen { deposited - withdrawn - feesCharged }

    /// Adds one entry's effect on the totals.
    public mutating func add(_ entry: FundsEntry) {
        switch entry.kind {
        case .deposit: deposited += entry.amount
        case .withdraw: withdrawn += entry.amount
        case .fee: feesCharged += entry.amount
        case .reserve, .release, .settleBuyer, .settleSeller: break
        }
    }
}
