import Contract
import Foundation
import GRDB
import SettlementDomain
import Store

/// One `trades` row: the tracker's `TradeLegs` plus what each leg's event said.
///
/// The tracker is not kept in memory: each leg loads its trade's row (a primary-key read),
/// asks a one-row `SettlementTracker` for the decision and stores the row back. The alarm check
/// loads only the rows waiting past the timeout, through a partial index. So memory does not
/// grow with the number of trades, and restarting needs no replay of them.
struct TradeRecord: Sendable, Equatable {
    var legs: TradeLegs
    /// From `TradeExecuted` (also when its funds leg was refused).
    var execution: Execution?
    /// Why the funds leg could not be applied, `code: reason`.
    var fundsRefusal: String?
    /// From `AllowancesTransferred`.
    var delivery: Delivery?
    var settledAt: Int64?

    struct Execution: Sendable, Equatable, Encodable {
        var buyOrderId: String
        var sellOrderId: String
        var buyerAccountId: String
        var sellerAccountId: String
        var quantity: Int64
        var price: Int64
        var tradingDay: String?
    }

    struct Delivery: Sendable, Equatable, Encodable {
        var fromAccountId: String
        var toAccountId: String
        var quantity: Int64
    }

    init(tradeId: TradeID) { legs = TradeLegs(tradeId: tradeId) }

    /// The tracker's view of this one trade.
    func tracker(timeoutMilliseconds: Int64) -> SettlementTracker {
        SettlementTracker(timeoutMilliseconds: timeoutMilliseconds, restoring: [legs])
    }

    /// Takes the tracker's row back after a decision.
    mutating func update(from tracker: SettlementTracker) {
        if let row = tracker.legs(of: legs.tradeId) { legs = row }
    }

    /// Why the allowance leg does not match the trade, if it does not.
    var mismatch: String? {
        guard let execution, let delivery else { return nil }
        if delivery.fromAccountId != execution.sellerAccountId || delivery.toAccountId != execution.buyerAccountId
            || delivery.quantity != execution.quantity {
            return "trade \(legs.tradeId) sold \(execution.quantity) t from \(execution.sellerAccountId) to "
                + "\(execution.buyerAccountId), the registry delivered \(delivery.quantity) t from "
                + "\(delivery.fromAccountId) to \(delivery.toAccountId)"
        }
        return nil
    }
}

enum TradeRecords {
    static let columns = """
        tradeId, buyOrderId, sellOrderId, buyerAccountId, sellerAccountId, quantity, price, tradingDay, value, buyerFee,
        sellerFee, fundsAt, fundsRefusal, allowancesAt, allowanceFrom, allowanceTo, allowanceQuantity, settled, alarmed,
        settledAt
        """

    /// Read in place (`DirectRow`): every leg of every trade reads its row.
    static func find(_ db: Database, _ tradeId: TradeID) throws -> TradeRecord? {
        let select = try db.cachedStatement(sql: "SELECT \(columns) FROM trades WHERE tradeId = ?")
        return try select.fetchFirst({ $0.bind(tradeId.rawValue) }, read: record(from:))
    }

    /// Unsettled, unalarmed trades whose first leg arrived at or before `cutoff` (milliseconds).
    static func waiting(_ db: Database, since cutoff: Int64, limit: Int = 10_000) throws -> [TradeRecord] {
        var records: [TradeRecord] = []
        try db.cachedStatement(sql: """
            SELECT \(columns) FROM trades WHERE settled = 0 AND alarmed = 0 AND waitingSince <= ?
            ORDER BY waitingSince LIMIT ?
            """).forEachRow({ $0.bind(cutoff); $0.bind(limit) }) { row in
            records.append(record(from: row))
            return true
        }
        return records
    }

    /// Trades `TradeExecuted` reported for `day`, and those of them that settled.
    static func ofDay(_ db: Database, _ day: TradingDay) throws -> (executed: [TradeID], settled: Set<TradeID>) {
        var executed: [TradeID] = []
        var settled: Set<TradeID> = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT tradeId, settled FROM trades WHERE tradingDay = ? AND buyOrderId IS NOT NULL
            """, arguments: [day.rawValue])
        while let row = try rows.next() {
            let id = TradeID(row[0] as String)
            executed.append(id)
            if (row[1] as Int64) != 0 { settled.insert(id) }
        }
        return (executed, settled)
    }

    /// Binds the 21 values in place (`DirectBinder`): through `StatementArguments` each one was
    /// boxed into an existential, on every leg of every trade.
    static func save(_ db: Database, _ record: TradeRecord) throws {
        let legs = record.legs, execution = record.execution, funds = legs.funds, delivery = record.delivery
        try db.cachedStatement(sql: upsertSQL).run { binder in
            binder.bind(legs.tradeId.rawValue)
            binder.bind(execution?.buyOrderId); binder.bind(execution?.sellOrderId)
            binder.bind(execution?.buyerAccountId ?? funds?.buyerAccountId.rawValue)
            binder.bind(execution?.sellerAccountId ?? funds?.sellerAccountId.rawValue)
            binder.bind(execution?.quantity); binder.bind(execution?.price); binder.bind(execution?.tradingDay)
            binder.bind(funds?.value.rawValue); binder.bind(funds?.buyerFee.rawValue); binder.bind(funds?.sellerFee.rawValue)
            binder.bind(legs.fundsAt?.millisecondsSinceEpoch); binder.bind(record.fundsRefusal)
            binder.bind(legs.allowancesAt?.millisecondsSinceEpoch)
            binder.bind(delivery?.fromAccountId); binder.bind(delivery?.toAccountId); binder.bind(delivery?.quantity)
            binder.bind(legs.isSettled); binder.bind(legs.isAlarmed); binder.bind(record.settledAt)
            binder.bind(legs.waitingSince?.millisecondsSinceEpoch)
        }
    }

    private static let upsertSQL = """
        INSERT OR REPLACE INTO trades (\(columns), waitingSince) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    private static func record(from row: DirectRow) -> TradeRecord {
        let tradeId = TradeID(row.string(0))
        var record = TradeRecord(tradeId: tradeId)
        let buyer = row.optionalString(3), seller = row.optionalString(4)
        if let buyOrderId = row.optionalString(1), let sellOrderId = row.optionalString(2), let buyer, let seller {
            record.execution = .init(buyOrderId: buyOrderId, sellOrderId: sellOrderId, buyerAccountId: buyer,
                                     sellerAccountId: seller, quantity: row.int64(5), price: row.int64(6),
                                     tradingDay: row.optionalString(7))
        }
        if let value = row.optionalInt64(8), let buyer, let seller {
            record.legs.funds = FundsLeg(tradeId: tradeId, buyerAccountId: AccountID(buyer), sellerAccountId: AccountID(seller),
                                         value: Fen(value), buyerFee: Fen(row.optionalInt64(9) ?? 0),
                                         sellerFee: Fen(row.optionalInt64(10) ?? 0))
        }
        record.legs.fundsAt = row.optionalInt64(11).map(Instant.init(millisecondsSinceEpoch:))
        record.fundsRefusal = row.optionalString(12)
        record.legs.allowancesAt = row.optionalInt64(13).map(Instant.init(millisecondsSinceEpoch:))
        if let from = row.optionalString(14), let to = row.optionalString(15), let quantity = row.optionalInt64(16) {
            record.delivery = .init(fromAccountId: from, toAccountId: to, quantity: quantity)
        }
        record.legs.isSettled = row.int64(17) != 0
        record.legs.isAlarmed = row.int64(18) != 0
        record.settledAt = row.optionalInt64(19)
        return record
    }
}
