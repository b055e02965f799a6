/// The role of a ledger account; every movement takes from one role and gives to another.
public enum AccountKind: String, Codable, Sendable, CaseIterable, Hashable, Comparable {
    /// The authority's source account. Issuing credits it, so its balance is minus the
    /// quantity in circulation; it is the only account allowed below zero.
    case issuance
    /// An entity's allowances not under any hold.
    case available
    /// An entity's allowances reserved for its resting sell orders.
    case frozen
    /// An entity's surrendered allowances: out of circulation for good.
    case retirement

    public static func < (lhs: AccountKind, rhs: AccountKind) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// An account of the double-entry holdings ledger: (kind, owner, instrument).
///
/// An entity's *holding* of an instrument is its available plus its frozen account, so a
/// hold moves allowances between two accounts of the same owner without changing what it holds.
public struct LedgerAccount: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public var kind: AccountKind
    /// The entity id, or `LedgerAccount.authority` for the issuance account.
    public var owner: String
    public var instrument: Instrument

    /// Owner name of the issuance accounts.
    public static let authority = "authority"

    public init(kind: AccountKind, owner: String, instrument: Instrument) {
        self.kind = kind
        self.owner = owner
        self.instrument = instrument
    }

    public static func issuance(_ instrument: Instrument) -> LedgerAccount {
        LedgerAccount(kind: .issuance, owner: authority, instrument: instrument)
    }

    public static func available(_ owner: String, _ instrument: Instrument) -> LedgerAccount {
        LedgerAccount(kind: .available, owner: owner, instrument: instrument)
    }

    public static func frozen(_ owner: String, _ instrument: Instrument) -> LedgerAccount {
        LedgerAccount(kind: .frozen, owner: owner, instrument: instrument)
    }

    public static func retirement(_ owner: String, _ instrument: Instrument) -> LedgerAccount {
        LedgerAccount(kind: .retirement, owner: owner, instrument: instrument)
    }

    public var description: String { "\(kind.rawValue):\(owner):\(instrument.rawValue)" }

    public static func < (lhs: LedgerAccount, rhs: LedgerAccount) -> Bool {
        (lhs.owner, lhs.instrument, lhs.kind) < (rhs.owner, rhs.instrument, rhs.kind)
    }
}
