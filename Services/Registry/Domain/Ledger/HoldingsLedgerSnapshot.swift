/// The whole holdings ledger at one journal sequence, so that a restart reads it and replays
/// only the entries after it instead of the whole journal (the service stores one whenever a
/// new trading day starts).
///
/// It holds every field the ledger keeps, as arrays in a fixed order (equal ledgers give equal
/// snapshots and equal bytes, `HoldingsLedgerSnapshotCodec.swift`), and
/// `HoldingsLedger(owners:tradingDay:restoring:replaying:)` refuses one whose parts do not agree
/// with each other.
public struct HoldingsLedgerSnapshot: Hashable, Sendable {
    /// The layout this code writes and reads; a stored snapshot of another is not used.
    public static let currentFormat = 1

    public var format: Int
    /// The sequence of the last journal entry the snapshot includes.
    public var sequence: Int
    public var tradingDay: CalendarDay?
    public var owners: [String]
    /// Every account the ledger has moved, zero balances included (the ledger keeps them).
    public var balances: [Balance]
    public var acquired: [Acquired]
    public var holds: [Hold]
    public var trades: [String]
    public var references: [Reference]
    public var issued: [InstrumentTotal]
    public var clawedBack: [InstrumentTotal]

    public struct Balance: Hashable, Sendable {
        public var account: LedgerAccount
        public var quantity: Int
    }

    /// What an owner acquired of an instrument on the current trading day (not sellable yet).
    public struct Acquired: Hashable, Sendable {
        public var owner: String
        public var instrument: Instrument
        public var quantity: Int
    }

    /// An issue, clawback or surrender reference, recorded once per owner and instrument.
    public struct Reference: Hashable, Sendable {
        public var kind: EntryKind
        public var reference: String
        public var owner: String
        public var instrument: Instrument
    }

    public struct InstrumentTotal: Hashable, Sendable {
        public var instrument: Instrument
        public var quantity: Int
    }
}

extension HoldingsLedger {
    /// The ledger as it stands, for storing.
    public func snapshot() -> HoldingsLedgerSnapshot {
        HoldingsLedgerSnapshot(
            format: HoldingsLedgerSnapshot.currentFormat, sequence: lastSequence, tradingDay: tradingDay,
            owners: owners.sorted(),
            balances: balances.map { HoldingsLedgerSnapshot.Balance(account: $0.key, quantity: $0.value) }
                .sorted { $0.account < $1.account },
            acquired: acquired.map { HoldingsLedgerSnapshot.Acquired(owner: $0.key.owner, instrument: $0.key.instrument,
                                                                     quantity: $0.value) }
                .sorted { ($0.owner, $0.instrument) < ($1.owner, $1.instrument) },
            holds: holds.values.sorted { $0.orderId < $1.orderId },
            trades: trades.sorted(),
            references: references.map { HoldingsLedgerSnapshot.Reference(kind: $0.kind, reference: $0.reference,
                                                                          owner: $0.owner, instrument: $0.instrument) }
                .sorted { ($0.kind.rawValue, $0.reference, $0.owner, $0.instrument) < ($1.kind.rawValue, $1.reference, $1.owner, $1.instrument) },
            issued: Self.totals(issued), clawedBack: Self.totals(clawedBack))
    }

    /// Rebuilds a ledger from `snapshot` and the journal entries after it: the same ledger as
    /// `init(owners:tradingDay:replaying:)` over the whole journal gives.
    /// - Parameters:
    ///   - owners: registered entities (the snapshot's owners are kept too).
    ///   - tradingDay: the trading day stored with the ledger; never before the snapshot's (a
    ///     later one starts that day, as `startTradingDay` does).
    ///   - tail: the entries after `snapshot.sequence`, in order.
    /// - Throws: `invalid-snapshot` when the snapshot's parts disagree or it is of a later day;
    ///   `invalid-journal` when an entry of the tail does not replay.
    public init(owners: some Sequence<String>, tradingDay: CalendarDay?, restoring snapshot: HoldingsLedgerSnapshot,
                replaying tail: some Sequence<JournalEntry>) throws(RegistryRefusal) {
        try self.init(restoring: snapshot)
        self.owners.formUnion(owners)
        if tradingDay != self.tradingDay {
            guard let tradingDay else {
                throw Self.invalidSnapshot("it is of trading day \(self.tradingDay?.description ?? "none"), the store has none")
            }
            do {
                _ = try startTradingDay(tradingDay)
            } catch {
                throw Self.invalidSnapshot("it is of trading day \(self.tradingDay?.description ?? "none"), after the "
                    + "store's \(tradingDay)")
            }
        }
        try replay(tail, after: " after the snapshot at \(snapshot.sequence)")
    }

    /// The ledger `snapshot` holds, checked: no repeated key, every account's owner known (the
    /// authority for issuance accounts), holds and references of the shapes the ledger makes,
    /// and every invariant of `invariantViolations`.
    init(restoring snapshot: HoldingsLedgerSnapshot) throws(RegistryRefusal) {
        guard snapshot.format == HoldingsLedgerSnapshot.currentFormat else {
            throw Self.invalidSnapshot("format \(snapshot.format), this code reads \(HoldingsLedgerSnapshot.currentFormat)")
        }
        guard snapshot.sequence >= 0 else { throw Self.invalidSnapshot("sequence \(snapshot.sequence)") }
        try Self.checkRanges(snapshot)
        self.init(owners: snapshot.owners, tradingDay: snapshot.tradingDay)
        lastSequence = snapshot.sequence
        guard owners.count == snapshot.owners.count else { throw Self.invalidSnapshot("an owner is listed twice") }
        for balance in snapshot.balances {
            let account = balance.account
            guard balances.updateValue(balance.quantity, forKey: account) == nil else {
                throw Self.invalidSnapshot("account \(account) is listed twice")
            }
            let known = account.kind == .issuance ? account.owner == LedgerAccount.authority : owners.contains(account.owner)
            guard known else { throw Self.invalidSnapshot("\(account) belongs to no known owner") }
        }
        for item in snapshot.acquired {
            let key = HoldingKey(owner: item.owner, instrument: item.instrument)
            guard owners.contains(item.owner), acquired.updateValue(item.quantity, forKey: key) == nil else {
                throw Self.invalidSnapshot("what \(item.owner) acquired of \(item.instrument) is listed twice or has no owner")
            }
        }
        for hold in snapshot.holds {
            guard holds.updateValue(hold, forKey: hold.orderId) == nil else {
                throw Self.invalidSnapshot("order \(hold.orderId) has two holds")
            }
            guard !hold.orderId.isEmpty, owners.contains(hold.owner), (1...Self.maxQuantity).contains(hold.quantity) else {
                throw Self.invalidSnapshot("the hold of order \(hold.orderId) is not one the ledger makes")
            }
        }
        trades = Set(snapshot.trades)
        guard trades.count == snapshot.trades.count else { throw Self.invalidSnapshot("a trade is listed twice") }
        for reference in snapshot.references {
            guard [.issue, .clawback, .surrender].contains(reference.kind), !reference.reference.isEmpty,
                  references.insert(ReferenceKey(kind: reference.kind, reference: reference.reference, owner: reference.owner,
                                                 instrument: reference.instrument)).inserted else {
                throw Self.invalidSnapshot("reference \(reference.kind.rawValue) \(reference.reference) of "
                    + "\(reference.owner) is listed twice or is not an issue, clawback or surrender")
            }
        }
        issued = try Self.dictionary(snapshot.issued, "issued")
        clawedBack = try Self.dictionary(snapshot.clawedBack, "clawed back")
        if let broken = invariantViolations.first { throw Self.invalidSnapshot(broken) }
    }

    /// Every number within the bounds the ledger's operations keep, and the sums
    /// `invariantViolations` forms (balances, holds' remainders) free of overflow, before any
    /// arithmetic on them: damaged values are refused, never trapped on.
    private static func checkRanges(_ snapshot: HoldingsLedgerSnapshot) throws(RegistryRefusal) {
        let bound = -maxOutstanding...maxOutstanding
        var magnitude = 0
        for balance in snapshot.balances {
            guard bound.contains(balance.quantity) else { throw invalidSnapshot("\(balance.account) holds \(balance.quantity)") }
            let (sum, overflow) = magnitude.addingReportingOverflow(abs(balance.quantity))
            guard !overflow else { throw invalidSnapshot("the balances add up beyond what the ledger can hold") }
            magnitude = sum
        }
        for item in snapshot.acquired where !(0...maxOutstanding).contains(item.quantity) {
            throw invalidSnapshot("\(item.owner) acquired \(item.quantity) of \(item.instrument)")
        }
        var frozen = 0
        for hold in snapshot.holds {
            guard (1...maxQuantity).contains(hold.quantity), (0...hold.quantity).contains(hold.remaining) else {
                throw invalidSnapshot("the hold of order \(hold.orderId) keeps \(hold.remaining) of \(hold.quantity)")
            }
            let (sum, overflow) = frozen.addingReportingOverflow(hold.remaining)
            guard !overflow else { throw invalidSnapshot("the holds add up beyond what the ledger can hold") }
            frozen = sum
        }
        for total in snapshot.issued + snapshot.clawedBack where !(0...Int.max / 2).contains(total.quantity) {
            throw invalidSnapshot("a total of \(total.instrument) is \(total.quantity)")
        }
    }

    private static func totals(_ dictionary: [Instrument: Int]) -> [HoldingsLedgerSnapshot.InstrumentTotal] {
        dictionary.map { HoldingsLedgerSnapshot.InstrumentTotal(instrument: $0.key, quantity: $0.value) }
            .sorted { $0.instrument < $1.instrument }
    }

    private static func dictionary(_ totals: [HoldingsLedgerSnapshot.InstrumentTotal], _ what: String)
        throws(RegistryRefusal) -> [Instrument: Int] {
        var dictionary: [Instrument: Int] = [:]
        for total in totals {
            guard total.quantity >= 0, dictionary.updateValue(total.quantity, forKey: total.instrument) == nil else {
                throw invalidSnapshot("\(what) of \(total.instrument) is negative or listed twice")
            }
        }
        return dictionary
    }

    private static func invalidSnapshot(_ reason: String) -> RegistryRefusal {
        RegistryRefusal(code: RefusalCode.invalidSnapshot, reason: "ledger snapshot: \(reason)")
    }
}
