/// The role of a funds account; every movement takes from one role and gives to another.
public enum FundsAccountKind: String, Codable, Sendable, CaseIterable, Hashable, Comparable {
    /// A participant's bank: the outside world its deposits come from and withdrawals go to.
    /// The only account that may hold any sign (minus the participant's net deposits).
    case bank
    /// A participant's funds free to reserve or withdraw.
    case available
    /// A participant's funds held for one buy order (one account per order).
    case reserved
    /// The exchange's fee account: the sum of every fee charged.
    case fees
    /// The exchange's clearing account: a trade's value passes through it from the buyer's
    /// reservation to the seller within one settlement, so it is zero at every quiet point.
    case clearing

    public static func < (lhs: FundsAccountKind, rhs: FundsAccountKind) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// Whether accounts of this kind belong to a participant (bank, available, reserved).
    public var isParticipant: Bool { self == .bank || self == .available || self == .reserved }
}

/// An account of the double-entry funds ledger: (kind, owner, order).
///
/// A participant's *funds* are its available account plus all its reserved accounts; a
/// reservation moves money between two accounts of the same owner without changing its funds.
public struct FundsAccount: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public var kind: FundsAccountKind
    /// The participant, or the exchange's fee or clearing account id (`SettlementRules`).
    public var owner: AccountID
    /// The buy order of a `reserved` account; `nil` for every other kind.
    public var orderId: OrderID?

    public init(kind: FundsAccountKind, owner: AccountID, orderId: OrderID? = nil) {
        self.kind = kind
        self.owner = owner
        self.orderId = orderId
    }

    public static func bank(_ owner: AccountID) -> FundsAccount { FundsAccount(kind: .bank, owner: owner) }
    public static func available(_ owner: AccountID) -> FundsAccount { FundsAccount(kind: .available, owner: owner) }
    public static func reserved(_ owner: AccountID, _ orderId: OrderID) -> FundsAccount {
        FundsAccount(kind: .reserved, owner: owner, orderId: orderId)
    }
    public static func fees(_ rules: SettlementRules) -> FundsAccount { FundsAccount(kind: .fees, owner: rules.feeAccountId) }
    public static func clearing(_ rules: SettlementRules) -> FundsAccount {
        FundsAccount(kind: .clearing, owner: rules.clearingAccountId)
    }

    public var description: String {
        if let orderId { return "\(kind.rawValue):\(owner):\(orderId)" }
        return "\(kind.rawValue):\(owner)"
    }

    public static func < (lhs: FundsAccount, rhs: FundsAccount) -> Bool {
        (lhs.owner, lhs.kind, lhs.orderId?.rawValue ?? "") < (rhs.owner, rhs.kind, rhs.orderId?.rawValue ?? "")
    }
}
