import Contract
import Foundation
import GRDB
import RegistryDomain
import Store

/// Persists the holdings ledger: one `journal` row per `JournalEntry` and the `holdings` rows
/// it changes (once per batch, `UnsavedHoldings`), written in the handler's transaction so both
/// commit with the input's offset.
///
/// Hot-path statements go through GRDB's statement cache and are bound directly: an entry costs
/// one journal insert, nothing parsed twice.
enum JournalStore {
    /// Stores `entry`; the holdings it changed are written back with the batch
    /// (`LedgerEngine.State.storing`).
    static func append(_ db: Database, _ entry: JournalEntry, at now: Timestamp, cause: UUID) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO journal (seq, kind, debitKind, debitOwner, creditKind, creditOwner, instrument, quantity,
                                 reference, orderId, tradingDay, recordedAt, causationId)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.run {
            $0.bind(entry.sequence); $0.bind(entry.kind.rawValue); $0.bind(entry.debit.kind.rawValue)
            $0.bind(entry.debit.owner); $0.bind(entry.credit.kind.rawValue); $0.bind(entry.credit.owner)
            $0.bind(entry.debit.instrument.rawValue); $0.bind(entry.quantity); $0.bind(entry.reference)
            $0.bind(entry.orderId); $0.bind(entry.tradingDay?.description); $0.bind(now.millisecondsSinceEpoch)
            $0.bind(cause.lowercasedString)
        }
    }

    /// Writes `owner`'s holding of `instrument` as `ledger` has it.
    static func saveHolding(_ db: Database, owner: String, _ instrument: LedgerInstrument,
                                    ledger: HoldingsLedger) throws {
        let holding = ledger.holding(of: owner, instrument)
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO holdings (entityId, instrument, held, frozen, acquiredToday, retired) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (entityId, instrument) DO UPDATE SET held = excluded.held, frozen = excluded.frozen,
                acquiredToday = excluded.acquiredToday, retired = excluded.retired
            """)
        try upsert.run {
            $0.bind(owner); $0.bind(instrument.rawValue); $0.bind(holding.held); $0.bind(holding.frozen)
            $0.bind(holding.acquiredToday); $0.bind(ledger.retired(by: owner, instrument))
        }
    }

    /// The stored entries after `sequence` (all of them by default) in sequence order, for
    /// rebuilding the ledger.
    static func entries(_ db: Database, after sequence: Int = 0) throws -> [JournalEntry] {
        var entries: [JournalEntry] = []
        var lastDay: (text: String, day: CalendarDay)?
        let rows = try Row.fetchCursor(db, sql: """
            SELECT seq, kind, debitKind, debitOwner, creditKind, creditOwner, instrument, quantity, reference, orderId,
                   tradingDay FROM journal WHERE seq > ? ORDER BY seq
            """, arguments: [sequence])
        while let row = try rows.next() {
            entries.append(try entry(from: row, lastDay: &lastDay))
        }
        return entries
    }

    /// One row of `entries`' columns, read by position (by name it took twice as long), with the
    /// last trading day parsed kept: consecutive rows almost always share it.
    private static func entry(from row: Row, lastDay: inout (text: String, day: CalendarDay)?) throws -> JournalEntry {
        let sequence: Int = row[0]
        let kindText: String = row[1], debitKind: String = row[2], creditKind: String = row[4]
        guard let kind = EntryKind(rawValue: kindText), let debit = AccountKind(rawValue: debitKind),
              let credit = AccountKind(rawValue: creditKind) else {
            throw StoredDataError("journal row \(sequence) has an unknown kind or account role")
        }
        var day: CalendarDay?
        if let text = row[10] as String? {
            if let lastDay, lastDay.text == text {
                day = lastDay.day
            } else {
                guard let parsed = CalendarDay(text) else {
                    throw StoredDataError("journal row \(sequence) has trading day '\(text)'")
                }
                lastDay = (text, parsed)
                day = parsed
            }
        }
        let instrument = LedgerInstrument(rawValue: row[6])
        return JournalEntry(sequence: sequence, kind: kind,
                            debit: LedgerAccount(kind: debit, owner: row[3], instrument: instrument),
                            credit: LedgerAccount(kind: credit, owner: row[5], instrument: instrument),
                            quantity: row[7], reference: row[8], orderId: row[9], tradingDay: day)
    }

    /// The sequence of the journal's last entry (0 when empty).
    static func lastSequence(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM journal") ?? 0
    }

    /// The stored holdings rows that are not all zero, keyed by entity and instrument.
    static func storedHoldings(_ db: Database) throws -> [HoldingRow.Key: HoldingRow] {
        var rows: [HoldingRow.Key: HoldingRow] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT entityId, instrument, held, frozen, acquiredToday, retired FROM holdings
            WHERE held <> 0 OR frozen <> 0 OR acquiredToday <> 0 OR retired <> 0
            """) {
            rows[HoldingRow.Key(entityId: row[0], instrument: row[1])] = HoldingRow(held: row[2], frozen: row[3],
                                                                                    acquiredToday: row[4], retired: row[5])
        }
        return rows
    }

    /// The holdings rows `ledger` gives (what `saveHolding` would write), those not all zero.
    static func holdings(of ledger: HoldingsLedger) -> [HoldingRow.Key: HoldingRow] {
        var keys: Set<HoldingRow.Key> = []
        for (account, _) in ledger.accountBalances where account.kind != .issuance {
            keys.insert(HoldingRow.Key(entityId: account.owner, instrument: account.instrument.rawValue))
        }
        var rows: [HoldingRow.Key: HoldingRow] = [:]
        for owner in ledger.owners {
            for instrument in ledger.instruments where ledger.holding(of: owner, instrument).acquiredToday != 0 {
                keys.insert(HoldingRow.Key(entityId: owner, instrument: instrument.rawValue))
            }
        }
        for key in keys {
            let instrument = LedgerInstrument(rawValue: key.instrument)
            let holding = ledger.holding(of: key.entityId, instrument)
            let row = HoldingRow(held: holding.held, frozen: holding.frozen, acquiredToday: holding.acquiredToday,
                                 retired: ledger.retired(by: key.entityId, instrument))
            if row != HoldingRow(held: 0, frozen: 0, acquiredToday: 0, retired: 0) { rows[key] = row }
        }
        return rows
    }

    /// The current trading day, as stored by the last `SessionOpened` that started a new one.
    static func tradingDay(_ db: Database) throws -> CalendarDay? {
        guard let text = try String.fetchOne(db, sql: "SELECT value FROM registry_meta WHERE key = 'tradingDay'") else {
            return nil
        }
        guard let day = CalendarDay(text) else { throw StoredDataError("stored trading day '\(text)' is not a date") }
        return day
    }

    /// Stores a new trading day; what was acquired on the previous one becomes sellable.
    static func startTradingDay(_ db: Database, _ day: CalendarDay) throws {
        try db.execute(sql: """
            INSERT INTO registry_meta (key, value) VALUES ('tradingDay', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, arguments: [day.description])
        try db.execute(sql: "UPDATE holdings SET acquiredToday = 0 WHERE acquiredToday <> 0")
    }
}

/// One `holdings` row's figures, for comparing the stored rows with the ledger.
struct HoldingRow: Hashable, Sendable {
    struct Key: Hashable, Sendable {
        var entityId: String
        var instrument: String
    }
    var held: Int
    var frozen: Int
    var acquiredToday: Int
    var retired: Int
}

/// A stored row the registry cannot read back: a corrupt or hand-edited file. Not a refusal:
/// restoring fails loudly rather than running on a ledger that differs from the journal.
struct StoredDataError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
