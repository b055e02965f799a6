/// Why funds moved; each kind has one fixed pair of account roles (see `FundsEntry`).
public enum FundsEntryKind: String, Codable, Sendable, CaseIterable, Hashable {
    case deposit, withdraw, reserve, release
    case settleBuyer = "settle-buyer"
    case settleSeller = "settle-seller"
    case fee
}

/// One movement of the funds ledger: `amount` leaves `credit` and arrives in `debit`.
///
/// The journal is the ledger's truth: the service stores each entry as a row, and
/// `FundsLedger(rules:tradingDay:replaying:)` rebuilds every balance, reservation and
/// duplicate guard from the rows. Account roles per kind (debit <- credit):
///
/// | kind | debit | credit | reference | extra |
/// |---|---|---|---|---|
/// | deposit | available(p) | bank(p) | bank reference, unique per participant | |
/// | withdraw | bank(p) | available(p) | bank reference, unique per participant | |
/// | reserve | reserved(p, order) | available(p) | order id | `terms` |
/// | release | available(p) | reserved(p, order) | order id (close) or trade id (a fill's excess) | |
/// | settle-buyer | clearing | reserved(buyer, buy order) | trade id, unique | `fill` |
/// | settle-seller | available(seller) | clearing | trade id | `fill` |
/// | fee | fees | reserved(buyer, order) (buyer's fee) or available(seller) (seller's fee) | trade id | |
public struct FundsEntry: Codable, Sendable, Hashable {
    /// 1, 2, 3, ... without gaps: the order in which entries must be replayed.
    public var sequence: Int64
    public var kind: FundsEntryKind
    /// The account that receives `amount`.
    public var debit: FundsAccount
    /// The account that gives `amount`.
    public var credit: FundsAccount
    /// Fen, always positive (a zero movement is never written).
    public var amount: Fen
    /// The business id that caused the entry (see the table).
    public var reference: String
    /// The trading day current when the entry was made (`nil` before the first day): it
    /// decides which proceeds are not yet withdrawable and which day's statement shows it.
    public var tradingDay: TradingDay?
    /// A reservation's terms (reserve entries only).
    public var terms: ReservationTerms?
    /// The trade's quantity and price (settle-buyer and settle-seller entries only).
    public var fill: TradeFill?

    public init(sequence: Int64, kind: FundsEntryKind, debit: FundsAccount, credit: FundsAccount, amount: Fen,
                reference: String, tradingDay: TradingDay? = nil, terms: ReservationTerms? = nil,
                fill: TradeFill? = nil) {
        self.sequence = sequence
        self.kind = kind
        self.debit = debit
        self.credit = credit
        self.amount = amount
        self.reference = reference
        self.tradingDay = tradingDay
        self.terms = terms
        self.fill = fill
    }

    /// The participant the entry is about: the depositor, the withdrawer, the buyer (reserve,
    /// release, settle-buyer), the seller (settle-seller) or the fee payer.
    public var participant: AccountID {
        switch kind {
        case .deposit, .release, .settleSeller: debit.owner
        case .withdraw, .reserve, .settleBuyer, .fee: credit.owner
        }
    }
}

/// What a buy order's reservation was sized for: the order's quantity at its limit price plus
/// the most fee that quantity can cost at the rate in force when the order was placed.
public struct ReservationTerms: Codable, Sendable, Hashable {
    public var quantity: Tonnes
    /// The buy order's limit price, fen per tonne.
    public var limitPrice: Fen
    /// The buyer's fee rate for every fill of this order (a later rule revision does not
    /// change the terms of a resting order).
    public var feeRate: FeeRate

    public init(quantity: Tonnes, limitPrice: Fen, feeRate: FeeRate) {
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.feeRate = feeRate
    }

    /// What one unfilled tonne needs held: the limit price plus its maximum fee.
    public var perTonne: Fen { limitPrice + feeRate.maximumFeePerTonne(at: limitPrice) }

    /// What `remaining` unfilled tonnes need held: `remaining x perTonne`, or `nil` on overflow.
    public func required(for remaining: Tonnes) -> Fen? { remaining.value(at: perTonne) }
}

/// The quantity and price of one trade, carried by its settlement entries.
public struct TradeFill: Codable, Sendable, Hashable {
    public var quantity: Tonnes
    /// Fen per tonne.
    public var price: Fen

    public init(quantity: Tonnes, price: Fen) {
        self.quantity = quantity
        self.price = price
    }

    /// `quantity x price`, or `nil` on overflow.
    public var value: Fen? { quantity.value(at: price) }
}
