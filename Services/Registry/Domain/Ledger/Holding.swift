/// What an entity holds of one instrument, derived from its ledger accounts.
///
/// `held = available + frozen`. Allowances bought on the current trading day are held but not
/// sellable until the next day (T+1), so `sellable = held - frozen - acquiredToday`, floored at
/// zero (allowances bought today and then surrendered or clawed back the same day leave
/// `acquiredToday` above what is unfrozen).
public struct Holding: Hashable, Sendable, Codable {
    public var held: Int
    public var frozen: Int
    public var acquiredToday: Int

    public init(held: Int = 0, frozen: Int = 0, acquiredToday: Int = 0) {
        self.held = held
        self.frozen = frozen
        self.acquiredToday = acquiredToday
    }

    /// Held and not frozen: what may be surrendered or clawed back.
    public var available: Int { held - frozen }
    /// What a new sell order may freeze.
    public var sellable: Int { max(0, held - frozen - acquiredToday) }
}

/// The allowances frozen for one sell order, and what is left of them.
///
/// Trades consume the hold; cancellation or expiry releases what remains. A hold is kept after
/// it reaches zero so the same order id can never freeze twice.
public struct Hold: Hashable, Sendable, Codable {
    public var orderId: String
    public var owner: String
    public var instrument: Instrument
    /// Quantity frozen when the order was placed.
    public var quantity: Int
    /// Quantity still frozen: not yet transferred or released.
    public var remaining: Int

    public init(orderId: String, owner: String, instrument: Instrument, quantity: Int, remaining: Int) {
        self.orderId = orderId
        self.owner = owner
        self.instrument = instrument
        self.quantity = quantity
        self.remaining = remaining
    }
}

/// Circulation of one instrument; `isBalanced` is the registry's conservation law:
/// everything entities hold plus everything retired equals issued minus clawed back.
public struct LedgerTotals: Hashable, Sendable, Codable {
    public var instrument: Instrument
    public var issued: Int
    public var clawedBack: Int
    /// Sum over entities of `held` (available + frozen).
    public var held: Int
    public var frozen: Int
    public var retired: Int

    public init(instrument: Instrument, issued: Int, clawedBack: Int, held: Int, frozen: Int, retired: Int) {
        self.instrument = instrument
        self.issued = issued
        self.clawedBack = clawedBack
        self.held = held
        self.frozen = frozen
        self.retired = retired
    }

    public var outstanding: Int { issued - clawedBack }
    public var isBalanced: Bool { held + retired == outstanding }
}
