/// The registry's double-entry holdings ledger of allowances (CEA) and offsets (CCER).
///
/// A value: operations (`HoldingsLedger+Operations.swift`) check the business rules, then
/// produce one `JournalEntry` and apply it; a refused operation throws a `RegistryRefusal`
/// and changes nothing. The service persists the returned entries row by row and rebuilds
/// the ledger at start with `init(owners:tradingDay:replaying:)`, or from a snapshot and the
/// entries after it (`HoldingsLedgerSnapshot`), so balances are always derivable from the journal. Invariants (checked by `invariantViolations`): no entity
/// account is negative, frozen equals the sum of its holds' remainders (so frozen <= held),
/// and per instrument held + retired = issued - clawed back.
///
/// The ledger keeps every hold and trade id it has seen (for idempotency) but not the entries.
public struct HoldingsLedger: Sendable, Hashable {
    /// Largest quantity of a single movement, in tonnes.
    public static let maxQuantity = 1_000_000_000_000
    /// Largest quantity in circulation per instrument; bounds every sum far below `Int.max`.
    public static let maxOutstanding = 1_000_000_000_000_000

    /// Sequence of the last applied entry (0 when empty); the next entry gets `lastSequence + 1`.
    public internal(set) var lastSequence = 0
    /// The current trading day; transfers stamped with it are `acquiredToday`.
    public internal(set) var tradingDay: CalendarDay?
    /// Entities that may hold allowances (registered entities).
    public internal(set) var owners: Set<String>

    var balances: [LedgerAccount: Int] = [:]
    var acquired: [HoldingKey: Int] = [:]
    var holds: [String: Hold] = [:]
    var trades: Set<String> = []
    var references: Set<ReferenceKey> = []
    var issued: [Instrument: Int] = [:]
    var clawedBack: [Instrument: Int] = [:]

    /// An empty ledger.
    /// - Parameters:
    ///   - owners: entities whose accounts are open (see `openAccount(_:)`).
    ///   - tradingDay: the current trading day, if one has started.
    public init(owners: some Sequence<String> = [String](), tradingDay: CalendarDay? = nil) {
        self.owners = Set(owners)
        self.tradingDay = tradingDay
    }

    /// Rebuilds a ledger from its stored journal.
    /// - Parameters:
    ///   - owners: registered entities; owners named in the entries are opened too.
    ///   - tradingDay: the trading day stored with the ledger (the last `startTradingDay`).
    ///   - entries: the journal in sequence order, starting at 1.
    /// - Throws: `RegistryRefusal` `invalid-journal` when an entry breaks the sequence or an
    ///   invariant (a corrupt or incomplete journal).
    public init(owners: some Sequence<String> = [String](), tradingDay: CalendarDay?,
                replaying entries: some Sequence<JournalEntry>) throws(RegistryRefusal) {
        self.init(owners: owners, tradingDay: tradingDay)
        try replay(entries, after: "")
    }

    /// Applies stored entries in order, opening the accounts they name; `context` ends the
    /// refusal's "cannot be replayed" (" after the snapshot at N", say).
    mutating func replay(_ entries: some Sequence<JournalEntry>, after context: String) throws(RegistryRefusal) {
        for entry in entries {
            for account in [entry.debit, entry.credit] where account.kind != .issuance {
                owners.insert(account.owner)
            }
            do {
                try apply(entry)
            } catch {
                throw RegistryRefusal(code: RefusalCode.invalidJournal,
                                      reason: "journal entry \(entry.sequence) cannot be replayed\(context): \(error.reason)")
            }
        }
    }

    /// Opens `owner`'s accounts so it can receive allowances; returns false if already open.
    /// Opening writes no entry: the service reopens its registered entities at start.
    @discardableResult
    public mutating func openAccount(_ owner: String) -> Bool {
        owners.insert(owner).inserted
    }

    public func isOpen(_ owner: String) -> Bool { owners.contains(owner) }

    /// The balance of one account (debits minus credits); only issuance goes negative.
    public func balance(of account: LedgerAccount) -> Int { balances[account] ?? 0 }

    /// What `owner` holds of `instrument`.
    public func holding(of owner: String, _ instrument: Instrument) -> Holding {
        let frozen = balance(of: .frozen(owner, instrument))
        return Holding(held: balance(of: .available(owner, instrument)) + frozen, frozen: frozen,
                       acquiredToday: acquired[HoldingKey(owner: owner, instrument: instrument)] ?? 0)
    }

    /// Allowances `owner` has surrendered of `instrument`, over all years.
    public func retired(by owner: String, _ instrument: Instrument) -> Int {
        balance(of: .retirement(owner, instrument))
    }

    /// The hold of sell order `orderId`, also after it is used up.
    public func hold(for orderId: String) -> Hold? { holds[orderId] }

    /// Whether trade `tradeId` has been transferred.
    public func hasTransferred(tradeId: String) -> Bool { trades.contains(tradeId) }

    /// Every non-zero account balance, in a stable order (for snapshots and admin views).
    public var accountBalances: [(account: LedgerAccount, balance: Int)] {
        balances.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Every instrument the ledger has seen, sorted.
    public var instruments: [Instrument] {
        Set(balances.keys.map(\.instrument)).sorted()
    }

    /// Circulation of `instrument`.
    public func totals(of instrument: Instrument) -> LedgerTotals {
        var totals = LedgerTotals(instrument: instrument, issued: issued[instrument] ?? 0,
                                  clawedBack: clawedBack[instrument] ?? 0, held: 0, frozen: 0, retired: 0)
        for (account, balance) in balances where account.instrument == instrument {
            switch account.kind {
            case .issuance: break
            case .available: totals.held += balance
            case .frozen: totals.held += balance; totals.frozen += balance
            case .retirement: totals.retired += balance
            }
        }
        return totals
    }

    /// Every broken invariant, in words; empty for a sound ledger. Cheap enough for tests and
    /// for the service's quiet-point checks, linear in accounts and holds.
    public var invariantViolations: [String] {
        var violations: [String] = []
        for (account, balance) in balances where account.kind != .issuance && balance < 0 {
            violations.append("\(account) is negative: \(balance)")
        }
        for (key, quantity) in acquired where quantity < 0 {
            violations.append("acquired today of \(key.owner) \(key.instrument.rawValue) is negative: \(quantity)")
        }
        var frozenByHolds: [HoldingKey: Int] = [:]
        for hold in holds.values {
            if hold.remaining < 0 || hold.remaining > hold.quantity {
                violations.append("hold \(hold.orderId) has remaining \(hold.remaining) of \(hold.quantity)")
            }
            frozenByHolds[HoldingKey(owner: hold.owner, instrument: hold.instrument), default: 0] += hold.remaining
        }
        for (account, balance) in balances where account.kind == .frozen {
            let key = HoldingKey(owner: account.owner, instrument: account.instrument)
            if frozenByHolds[key, default: 0] != balance {
                violations.append("\(account) is \(balance) but its holds keep \(frozenByHolds[key, default: 0])")
            }
        }
        for instrument in instruments {
            let totals = totals(of: instrument)
            if !totals.isBalanced {
                violations.append("\(instrument.rawValue): held \(totals.held) + retired \(totals.retired) "
                    + "!= issued \(totals.issued) - clawed back \(totals.clawedBack)")
            }
            if balance(of: .issuance(instrument)) != -totals.outstanding {
                violations.append("\(instrument.rawValue): issuance balance is not minus the outstanding quantity")
            }
        }
        return violations
    }
}

/// An (owner, instrument) pair: the key of a holding.
struct HoldingKey: Hashable, Sendable {
    var owner: String
    var instrument: Instrument
}

/// The idempotency key of issue, clawback and surrender entries.
struct ReferenceKey: Hashable, Sendable {
    var kind: EntryKind
    var reference: String
    var owner: String
    var instrument: Instrument
}
