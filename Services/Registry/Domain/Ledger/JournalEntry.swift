/// Why allowances moved; each kind has one fixed pair of account roles (see `JournalEntry`).
public enum EntryKind: String, Codable, Sendable, CaseIterable, Hashable {
    case issue, clawback, freeze, unfreeze, transfer, surrender
}

/// One movement of the holdings ledger: `quantity` leaves `credit` and arrives in `debit`.
///
/// The journal is the ledger's truth: the service stores each entry as a row, and
/// `HoldingsLedger(replaying:)` rebuilds every balance, hold and duplicate guard from the rows.
/// Account roles per kind (debit <- credit):
///
/// | kind | debit | credit | reference |
/// |---|---|---|---|
/// | issue | available(entity) | issuance | caller's id, unique per entity and instrument |
/// | clawback | issuance | available(entity) | idem |
/// | freeze | frozen(seller) | available(seller) | orderId |
/// | unfreeze | available(seller) | frozen(seller) | orderId |
/// | transfer | available(buyer) | frozen(seller) | tradeId |
/// | surrender | retirement(entity) | available(entity) | caller's id, unique per entity and instrument |
public struct JournalEntry: Codable, Sendable, Hashable {
    /// 1, 2, 3, ... without gaps: the order in which entries must be replayed.
    public var sequence: Int
    public var kind: EntryKind
    /// The account that receives `quantity`.
    public var debit: LedgerAccount
    /// The account that gives `quantity`.
    public var credit: LedgerAccount
    /// Whole tonnes, always positive.
    public var quantity: Int
    /// The business id that caused the entry (see the table); the idempotency key.
    public var reference: String
    /// The sell order whose hold the entry touches (freeze, unfreeze, transfer).
    public var orderId: String?
    /// The trading day current when the entry was made; a transfer's day decides whether the
    /// buyer may sell the allowances yet (T+1).
    public var tradingDay: CalendarDay?

    public init(sequence: Int, kind: EntryKind, debit: LedgerAccount, credit: LedgerAccount, quantity: Int,
                reference: String, orderId: String? = nil, tradingDay: CalendarDay? = nil) {
        self.sequence = sequence
        self.kind = kind
        self.debit = debit
        self.credit = credit
        self.quantity = quantity
        self.reference = reference
        self.orderId = orderId
        self.tradingDay = tradingDay
    }

    /// The account roles an entry of `kind` must have, as (debit, credit).
    static func roles(of kind: EntryKind) -> (AccountKind, AccountKind) {
        switch kind {
        case .issue: (.available, .issuance)
        case .clawback: (.issuance, .available)
        case .freeze: (.frozen, .available)
        case .unfreeze: (.available, .frozen)
        case .transfer: (.available, .frozen)
        case .surrender: (.retirement, .available)
        }
    }
}
