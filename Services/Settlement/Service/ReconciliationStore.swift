import Contract
import Foundation
import GRDB
import SettlementDomain
import Store

/// One trading day's end: its statements were issued, and its reconciliation is `balanced`,
/// `broken`, or `awaiting-legs` (the books balance but some of the day's trades still wait for
/// their allowance leg, which travels on another topic than the session's close).
struct ReconciliationRecord: Codable, Sendable {
    enum Status: String, Codable, Sendable {
        case awaitingLegs = "awaiting-legs"
        case balanced, broken
    }

    var tradingDay: String
    var status: Status
    /// Statements issued for the day (one per account).
    var statements: Int
    /// Logical time of the close that ended the day.
    var closedAt: Int64
    /// While awaiting legs: when to give up waiting and report the unsettled trades.
    var deadline: Int64?
    var completedAt: Int64?
    var report: ReconciliationReport
    /// While awaiting legs: the trades still waited for.
    var awaiting: [String]?
}

enum ReconciliationStore {
    static func find(_ db: Database, _ day: String) throws -> ReconciliationRecord? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT tradingDay, status, statements, closedAt, deadline, completedAt, report FROM reconciliations
            WHERE tradingDay = ?
            """, arguments: [day]) else { return nil }
        let statusText: String = row[1]
        guard let status = ReconciliationRecord.Status(rawValue: statusText) else {
            throw StoreCorruption("reconciliation \(day) has status \(statusText)")
        }
        let report = try JSONDecoder().decode(ReconciliationReport.self, from: Data((row[6] as String).utf8))
        var record = ReconciliationRecord(tradingDay: row[0], status: status, statements: row[2], closedAt: row[3],
                                          deadline: row[4], completedAt: row[5], report: report)
        if status == .awaitingLegs {
            record.awaiting = try String.fetchAll(db, sql: """
                SELECT tradeId FROM reconciliation_awaits WHERE tradingDay = ? ORDER BY tradeId
                """, arguments: [day])
        }
        return record
    }

    static func exists(_ db: Database, _ day: TradingDay) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT 1 FROM reconciliations WHERE tradingDay = ?", arguments: [day.rawValue]) != nil
    }

    /// Stores the day's record; while awaiting legs, also the trades it waits for.
    static func save(_ db: Database, _ record: ReconciliationRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let report = String(decoding: try encoder.encode(record.report), as: UTF8.self)
        try db.execute(sql: """
            INSERT OR REPLACE INTO reconciliations (tradingDay, status, statements, closedAt, deadline, completedAt, report)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [record.tradingDay, record.status.rawValue, record.statements, record.closedAt, record.deadline,
                             record.completedAt, report])
        try db.execute(sql: "DELETE FROM reconciliation_awaits WHERE tradingDay = ?", arguments: [record.tradingDay])
        for tradeId in record.awaiting ?? [] {
            try db.execute(sql: "INSERT OR REPLACE INTO reconciliation_awaits (tradeId, tradingDay) VALUES (?, ?)",
                           arguments: [tradeId, record.tradingDay])
        }
    }

    /// Trade `tradeId` settled: if a reconciliation waited for it and now waits for nothing
    /// more, returns its day. Cheap when nothing waits (one primary-key probe of an empty table).
    static func resolve(_ db: Database, _ tradeId: TradeID) throws -> String? {
        let probe = try db.cachedStatement(sql: "SELECT tradingDay FROM reconciliation_awaits WHERE tradeId = ?")
        guard let day = try probe.fetchFirst({ $0.bind(tradeId.rawValue) }, read: { $0.string(0) }) else { return nil }
        try db.execute(sql: "DELETE FROM reconciliation_awaits WHERE tradeId = ?", arguments: [tradeId.rawValue])
        let left = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reconciliation_awaits WHERE tradingDay = ?",
                                    arguments: [day]) ?? 0
        return left == 0 ? day : nil
    }

    /// Days awaiting legs whose deadline has passed at `now` (milliseconds).
    static func due(_ db: Database, now: Int64) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT tradingDay FROM reconciliations WHERE status = 'awaiting-legs' AND deadline <= ? ORDER BY tradingDay
            """, arguments: [now])
    }
}
