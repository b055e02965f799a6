import Contract
import Foundation
import GRDB
import RegistryDomain

/// What one entity holds of one instrument (a `holdings` row plus what follows from it).
public struct HoldingView: Codable, Sendable, Equatable {
    public var instrument: String
    public var held: Int64
    public var frozen: Int64
    public var available: Int64
    public var acquiredToday: Int64
    /// What a new sell order may freeze: held - frozen - acquired today, at least 0 (T+1).
    public var sellable: Int64
    public var retired: Int64
}

/// A sell order's hold with what remains frozen of it.
public struct HoldView: Codable, Sendable, Equatable {
    public var orderId: String
    public var instrument: String
    public var remaining: Int64
}

/// One journal row as the read side shows it.
public struct JournalView: Codable, Sendable, Equatable {
    public var sequence: Int64
    public var kind: String
    public var debit: String
    public var credit: String
    public var instrument: String
    public var quantity: Int64
    public var reference: String
    public var orderId: String?
    public var tradingDay: String?
    public var recordedAt: Timestamp
}

/// Market-wide circulation of one instrument, with the conservation law checked two ways:
/// from the journal (issued, clawed back, retired, frozen by holds) and from the holdings rows.
public struct InstrumentTotals: Codable, Sendable, Equatable {
    public var instrument: String
    public var issued: Int64
    public var clawedBack: Int64
    /// issued - clawedBack
    public var outstanding: Int64
    /// Sum of holdings (available + frozen).
    public var held: Int64
    public var frozen: Int64
    public var available: Int64
    public var acquiredToday: Int64
    public var retired: Int64
    /// held + retired == issued - clawedBack, frozen <= held, nothing negative, and the holdings
    /// rows agree with the journal.
    public var balanced: Bool
    public var problems: [String]
}

enum LedgerQueries {
    static func holdings(_ db: Database, entityId: String) throws -> [HoldingView] {
        try Row.fetchAll(db, sql: "SELECT * FROM holdings WHERE entityId = ? ORDER BY instrument", arguments: [entityId]).map { row in
            let held: Int64 = row["held"], frozen: Int64 = row["frozen"], acquired: Int64 = row["acquiredToday"]
            return HoldingView(instrument: row["instrument"], held: held, frozen: frozen, available: held - frozen,
                               acquiredToday: acquired, sellable: max(0, held - frozen - acquired), retired: row["retired"])
        }
    }

    /// The entity's holds with something still frozen (from the journal: every freeze, unfreeze
    /// and transfer of a hold is credited to the seller, so one index range finds them).
    static func openHolds(_ db: Database, entityId: String) throws -> [HoldView] {
        try Row.fetchAll(db, sql: """
            SELECT orderId, instrument, SUM(CASE kind WHEN 'freeze' THEN quantity ELSE -quantity END) AS remaining
            FROM journal WHERE creditOwner = ? AND kind IN ('freeze', 'unfreeze', 'transfer')
            GROUP BY orderId, instrument HAVING remaining > 0 ORDER BY orderId
            """, arguments: [entityId]).map { HoldView(orderId: $0["orderId"], instrument: $0["instrument"], remaining: $0["remaining"]) }
    }

    /// Journal rows that touch `entityId`, oldest first, after sequence `after`.
    static func journal(_ db: Database, entityId: String, after: Int64, limit: Int) throws -> [JournalView] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM journal WHERE seq IN (
                SELECT seq FROM journal WHERE debitOwner = ? AND seq > ?
                UNION SELECT seq FROM journal WHERE creditOwner = ? AND seq > ?)
            ORDER BY seq LIMIT ?
            """, arguments: [entityId, after, entityId, after, limit]).map { row in
            JournalView(sequence: row["seq"], kind: row["kind"],
                        debit: "\(row["debitKind"] as String? ?? ""):\(row["debitOwner"] as String? ?? "")",
                        credit: "\(row["creditKind"] as String? ?? ""):\(row["creditOwner"] as String? ?? "")",
                        instrument: row["instrument"], quantity: row["quantity"], reference: row["reference"],
                        orderId: row["orderId"], tradingDay: row["tradingDay"],
                        recordedAt: Timestamp(millisecondsSinceEpoch: row["recordedAt"]))
        }
    }

    /// Per-instrument totals from the journal and the holdings rows.
    static func totals(_ db: Database) throws -> [InstrumentTotals] {
        var byKind: [String: [String: Int64]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT instrument, kind, SUM(quantity) AS total FROM journal GROUP BY instrument, kind") {
            byKind[row["instrument"], default: [:]][row["kind"]] = row["total"]
        }
        var rows: [String: Row] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT instrument, SUM(held) AS held, SUM(frozen) AS frozen, SUM(acquiredToday) AS acquired,
                   SUM(retired) AS retired, SUM(held < 0 OR frozen < 0 OR frozen > held OR acquiredToday < 0 OR retired < 0) AS bad
            FROM holdings GROUP BY instrument
            """) {
            rows[row["instrument"]] = row
        }
        return Set(byKind.keys).union(rows.keys).sorted().map { instrument in
            let kinds = byKind[instrument] ?? [:]
            let row = rows[instrument]
            func kind(_ name: String) -> Int64 { kinds[name] ?? 0 }
            let issued = kind("issue"), clawedBack = kind("clawback"), retired = kind("surrender")
            let frozenByJournal = kind("freeze") - kind("unfreeze") - kind("transfer")
            let held: Int64 = row?["held"] ?? 0, frozen: Int64 = row?["frozen"] ?? 0, retiredRows: Int64 = row?["retired"] ?? 0
            var problems: [String] = []
            if held + retired != issued - clawedBack {
                problems.append("held \(held) + retired \(retired) != issued \(issued) - clawed back \(clawedBack)")
            }
            if frozen > held { problems.append("frozen \(frozen) exceeds held \(held)") }
            if frozen != frozenByJournal { problems.append("holdings freeze \(frozen) but the journal's holds keep \(frozenByJournal)") }
            if retiredRows != retired { problems.append("holdings retired \(retiredRows) but the journal retired \(retired)") }
            if let bad: Int64 = row?["bad"], bad > 0 { problems.append("\(bad) holding row(s) negative or frozen above held") }
            return InstrumentTotals(instrument: instrument, issued: issued, clawedBack: clawedBack, outstanding: issued - clawedBack,
                                    held: held, frozen: frozen, available: held - frozen, acquiredToday: row?["acquired"] ?? 0,
                                    retired: retired, balanced: problems.isEmpty, problems: problems)
        }
    }

    static func journalCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journal") ?? 0
    }
}
