import Contract
import Foundation
import GRDB
import Store
import SettlementDomain

/// The funds journal in SQLite: one `journal` row per `FundsEntry`, and the `settlement_state`
/// row (the current trading day and the exchange account ids the journal was written with).
///
/// Rows are columns, not JSON, so that appending costs one cached insert and the read side can
/// page one participant's entries through an index.
enum JournalStore {
    /// Appends `entries`, caused by input `cause` at logical time `now`.
    static func append(_ db: Database, _ entries: [FundsEntry], at now: Timestamp, cause: String) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO journal (seq, kind, participant, debitKind, debitOwner, debitOrder, creditKind, creditOwner,
                                 creditOrder, amount, reference, tradingDay, quantity, price, feePpm, recordedAt,
                                 causationId)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for entry in entries {
            let quantity = entry.terms?.quantity.rawValue ?? entry.fill?.quantity.rawValue
            let price = entry.terms?.limitPrice.rawValue ?? entry.fill?.price.rawValue
            try insert.run {
                $0.bind(entry.sequence); $0.bind(entry.kind.rawValue); $0.bind(entry.participant.rawValue)
                $0.bind(entry.debit.kind.rawValue); $0.bind(entry.debit.owner.rawValue); $0.bind(entry.debit.orderId?.rawValue)
                $0.bind(entry.credit.kind.rawValue); $0.bind(entry.credit.owner.rawValue)
                $0.bind(entry.credit.orderId?.rawValue); $0.bind(entry.amount.rawValue); $0.bind(entry.reference)
                $0.bind(entry.tradingDay?.rawValue); $0.bind(quantity); $0.bind(price)
                $0.bind(entry.terms?.feeRate.partsPerMillion); $0.bind(now.millisecondsSinceEpoch); $0.bind(cause)
            }
        }
    }

    static let columns = """
        seq, kind, debitKind, debitOwner, debitOrder, creditKind, creditOwner, creditOrder, amount, reference,
        tradingDay, quantity, price, feePpm
        """

    /// Every entry in sequence order, read lazily: the journal may be far larger than what one
    /// wants in memory at once. Check `failure` after iterating.
    static func stream(_ db: Database) throws -> JournalCursor {
        JournalCursor(try Row.fetchCursor(db, sql: "SELECT \(columns) FROM journal ORDER BY seq"))
    }

    /// The entries after `sequence`, in sequence order, read lazily.
    static func stream(_ db: Database, after sequence: Int64) throws -> JournalCursor {
        JournalCursor(try Row.fetchCursor(db, sql: "SELECT \(columns) FROM journal WHERE seq > ? ORDER BY seq",
                                          arguments: [sequence]))
    }

    /// How many entries the journal holds.
    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journal") ?? 0
    }

    /// The sequence of the journal's last entry (0 when empty).
    static func lastSequence(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM journal") ?? 0
    }

    /// The trading day stored with the ledger, if any day started yet.
    static func tradingDay(_ db: Database) throws -> TradingDay? {
        guard let text = try String.fetchOne(db, sql: "SELECT tradingDay FROM settlement_state WHERE id = 1") else {
            return nil
        }
        guard let day = TradingDay(text) else { throw StoreCorruption("settlement_state.tradingDay '\(text)' is not a day") }
        return day
    }

    /// Stores the trading day (and the exchange account ids, on the first write).
    static func storeTradingDay(_ db: Database, _ day: TradingDay?, rules: SettlementRules) throws {
        try db.execute(sql: """
            INSERT INTO settlement_state (id, tradingDay, feeAccountId, clearingAccountId) VALUES (1, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET tradingDay = excluded.tradingDay
            """, arguments: [day?.rawValue, rules.feeAccountId.rawValue, rules.clearingAccountId.rawValue])
    }

    /// Refuses to replay a journal written with other exchange accounts than `rules` name:
    /// the same rules must be used on replay (fee rate changes only affect later entries).
    static func checkAccounts(_ db: Database, rules: SettlementRules) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT feeAccountId, clearingAccountId FROM settlement_state WHERE id = 1")
        else { return }
        let fee: String = row["feeAccountId"], clearing: String = row["clearingAccountId"]
        if fee != rules.feeAccountId.rawValue || clearing != rules.clearingAccountId.rawValue {
            throw StoreCorruption("the journal was written with fee account \(fee) and clearing account \(clearing), "
                + "the configured rules name \(rules.feeAccountId) and \(rules.clearingAccountId)")
        }
    }

    /// Decodes one row of `columns`.
    static func entry(from row: Row, days: inout DayCache) throws -> FundsEntry {
        let sequence: Int64 = row[0]
        guard let kind = FundsEntryKind(rawValue: row[1]),
              let debitKind = FundsAccountKind(rawValue: row[2]),
              let creditKind = FundsAccountKind(rawValue: row[5]) else {
            throw StoreCorruption("journal entry \(sequence) has an unknown kind")
        }
        let debit = FundsAccount(kind: debitKind, owner: AccountID(row[3] as String), orderId: (row[4] as String?).map { OrderID($0) })
        let credit = FundsAccount(kind: creditKind, owner: AccountID(row[6] as String), orderId: (row[7] as String?).map { OrderID($0) })
        let quantity: Int64? = row[11], price: Int64? = row[12], feePpm: Int64? = row[13]
        var terms: ReservationTerms?
        var fill: TradeFill?
        switch kind {
        case .reserve:
            guard let quantity, let price, let feePpm else { throw StoreCorruption("reserve entry \(sequence) has no terms") }
            terms = ReservationTerms(quantity: Tonnes(quantity), limitPrice: Fen(price), feeRate: FeeRate(partsPerMillion: feePpm))
        case .settleBuyer, .settleSeller:
            guard let quantity, let price else { throw StoreCorruption("settle entry \(sequence) has no fill") }
            fill = TradeFill(quantity: Tonnes(quantity), price: Fen(price))
        case .deposit, .withdraw, .release, .fee:
            break
        }
        return FundsEntry(sequence: sequence, kind: kind, debit: debit, credit: credit, amount: Fen(row[8] as Int64),
                          reference: row[9], tradingDay: try days.day(row[10]), terms: terms, fill: fill)
    }
}

/// Parses trading days once: consecutive journal rows almost always share one.
struct DayCache {
    private var last: (text: String, day: TradingDay)?

    mutating func day(_ text: String?) throws -> TradingDay? {
        guard let text else { return nil }
        if let last, last.text == text { return last.day }
        guard let day = TradingDay(text) else { throw StoreCorruption("'\(text)' is not a trading day") }
        last = (text, day)
        return day
    }
}

/// The journal as a lazy sequence over a GRDB cursor, for `FundsLedger(replaying:)`,
/// `StatementBuilder` and `Reconciliation`, which take any sequence of entries. A sequence
/// cannot throw, so the first error ends it and is kept in `failure`.
final class JournalCursor: Sequence, IteratorProtocol {
    private let rows: RowCursor
    private var days = DayCache()
    private(set) var failure: (any Error)?

    init(_ rows: RowCursor) { self.rows = rows }

    func next() -> FundsEntry? {
        guard failure == nil else { return nil }
        do {
            guard let row = try rows.next() else { return nil }
            return try JournalStore.entry(from: row, days: &days)
        } catch {
            failure = error
            return nil
        }
    }

    /// Throws the error that ended the sequence early, if one did.
    func check() throws {
        if let failure { throw failure }
    }
}

/// Stored settlement data that cannot be what this code wrote: restore stops on it (the
/// runtime retries and reports it on `/status`) rather than run on a wrong ledger.
struct StoreCorruption: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
