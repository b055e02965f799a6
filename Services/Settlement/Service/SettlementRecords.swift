import Contract
import Foundation
import GRDB
import SettlementDomain
import Store

/// Buy orders settlement must not reserve for: `refused` ones (their `ReserveRejected` is the
/// answer, once) and `closed` ones, which matching cancelled, expired or rejected before their
/// `SubmitOrder` reached settlement (the topics are read independently, so the close can come
/// first; reserving then would hold funds for an order that will never trade or be released).
enum OrderGuards {
    enum State: String {
        case refused, closed
    }

    struct Guard {
        var state: State
        var code: String?
        var reason: String
    }

    static func find(_ db: Database, _ orderId: String) throws -> Guard? {
        let select = try db.cachedStatement(sql: "SELECT state, code, reason FROM order_guards WHERE orderId = ?")
        return try select.fetchFirst({ $0.bind(orderId) }) { row in
            Guard(state: State(rawValue: row.string(0)) ?? .closed, code: row.optionalString(1), reason: row.string(2))
        }
    }

    /// Remembers `orderId` unless it is already remembered (a refusal stays a refusal).
    static func insert(_ db: Database, _ orderId: String, accountId: String, state: State, code: String?,
                       reason: String, at now: Timestamp) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO order_guards (orderId, accountId, state, code, reason, at) VALUES (?, ?, ?, ?, ?, ?)
            """)
        try insert.execute(arguments: [orderId, accountId, state.rawValue, code, reason, now.millisecondsSinceEpoch])
    }
}

/// What an operator must see (`/alarms`): overdue or refused legs, mismatched deliveries,
/// reconciliation breaks. Each alarm has a stable id, so it is raised once however often its
/// cause is seen again.
struct AlarmRow: Codable, Sendable, Equatable {
    var alarmId: String
    var code: String
    var tradeId: String?
    var tradingDay: String?
    var missingLeg: String?
    var since: Int64?
    var waitedMilliseconds: Int64?
    var difference: Int64?
    var accountId: String?
    var reason: String
    var raisedAt: Int64
}

enum AlarmStore {
    /// Stores `alarm`; false when an alarm with its id was raised before (emit nothing then).
    static func raise(_ db: Database, _ alarm: AlarmRow) throws -> Bool {
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO alarms (alarmId, code, tradeId, tradingDay, missingLeg, since, waitedMilliseconds,
                                          difference, accountId, reason, raisedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.execute(arguments: [alarm.alarmId, alarm.code, alarm.tradeId, alarm.tradingDay, alarm.missingLeg,
                                       alarm.since, alarm.waitedMilliseconds, alarm.difference, alarm.accountId,
                                       alarm.reason, alarm.raisedAt])
        return db.changesCount > 0
    }

    /// The latest alarms first.
    static func latest(_ db: Database, limit: Int, code: String? = nil) throws -> [AlarmRow] {
        let filter = code == nil ? "" : "WHERE code = ?"
        var arguments: StatementArguments = code.map { [$0] } ?? []
        arguments += [limit]
        return try Row.fetchAll(db, sql: """
            SELECT alarmId, code, tradeId, tradingDay, missingLeg, since, waitedMilliseconds, difference, accountId, reason,
                   raisedAt FROM alarms \(filter) ORDER BY seq DESC LIMIT ?
            """, arguments: arguments).map { row in
            AlarmRow(alarmId: row[0], code: row[1], tradeId: row[2], tradingDay: row[3], missingLeg: row[4], since: row[5],
                     waitedMilliseconds: row[6], difference: row[7], accountId: row[8], reason: row[9], raisedAt: row[10])
        }
    }

    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alarms") ?? 0
    }
}

/// The instruments whose session is open: the trading day ends when the last one closes.
enum OpenSessions {
    static func open(_ db: Database, instrument: String, day: TradingDay) throws {
        try db.execute(sql: "DELETE FROM open_sessions WHERE tradingDay < ?", arguments: [day.rawValue])
        try db.execute(sql: "INSERT OR REPLACE INTO open_sessions (instrument, tradingDay) VALUES (?, ?)",
                       arguments: [instrument, day.rawValue])
    }

    /// Closes `instrument`'s session; true when no other session stays open.
    static func close(_ db: Database, instrument: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM open_sessions WHERE instrument = ?", arguments: [instrument])
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM open_sessions") == 0
    }
}
