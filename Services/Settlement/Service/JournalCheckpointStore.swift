import Foundation
import GRDB
import SettlementDomain

/// The stored `JournalCheckpoint`: one row of totals and one row per account whose entries do
/// not add up to zero, replaced whenever a day closes, in the batch's transaction.
enum JournalCheckpointStore {
    /// The stored checkpoint; the empty one when none was stored yet.
    static func load(_ db: Database) throws -> JournalCheckpoint {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT sequence, latestDay, deposited, withdrawn, feesCharged FROM journal_checkpoint WHERE id = 1
            """) else { return JournalCheckpoint() }
        var latestDay: TradingDay?
        if let text = row[1] as String? {
            guard let day = TradingDay(text) else { throw StoreCorruption("journal checkpoint day '\(text)' is not a day") }
            latestDay = day
        }
        var balances: [FundsAccount: Fen] = [:]
        for balance in try Row.fetchAll(db, sql: "SELECT kind, owner, orderId, amount FROM journal_checkpoint_balances") {
            guard let kind = FundsAccountKind(rawValue: balance[0]) else {
                throw StoreCorruption("journal checkpoint account kind '\(balance[0] as String)' is unknown")
            }
            let order = balance[2] as String
            let account = FundsAccount(kind: kind, owner: AccountID(balance[1] as String), orderId: order.isEmpty ? nil : OrderID(order))
            balances[account] = Fen(balance[3] as Int64)
        }
        return JournalCheckpoint(sequence: row[0], latestDay: latestDay,
                                 totals: FundsTotals(deposited: Fen(row[2] as Int64), withdrawn: Fen(row[3] as Int64),
                                                     feesCharged: Fen(row[4] as Int64)),
                                 balances: balances)
    }

    /// Replaces the stored checkpoint with `checkpoint`.
    static func store(_ db: Database, _ checkpoint: JournalCheckpoint) throws {
        try db.execute(sql: """
            INSERT INTO journal_checkpoint (id, sequence, latestDay, deposited, withdrawn, feesCharged)
            VALUES (1, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, latestDay = excluded.latestDay,
                deposited = excluded.deposited, withdrawn = excluded.withdrawn, feesCharged = excluded.feesCharged
            """, arguments: [checkpoint.sequence, checkpoint.latestDay?.rawValue, checkpoint.totals.deposited.rawValue,
                             checkpoint.totals.withdrawn.rawValue, checkpoint.totals.feesCharged.rawValue])
        try db.execute(sql: "DELETE FROM journal_checkpoint_balances")
        let insert = try db.cachedStatement(sql: """
            INSERT INTO journal_checkpoint_balances (kind, owner, orderId, amount) VALUES (?, ?, ?, ?)
            """)
        for (account, amount) in checkpoint.balances {
            try insert.execute(arguments: [account.kind.rawValue, account.owner.rawValue, account.orderId?.rawValue ?? "",
                                           amount.rawValue])
        }
    }

    /// Where `day`'s end of day starts reading the journal: the `stored` checkpoint and the
    /// entries after it when the checkpoint precedes the day, else the empty checkpoint and the
    /// whole journal (a day reconciled again after a later day closed).
    static func journal(_ db: Database, for day: TradingDay, stored: JournalCheckpoint) throws
        -> (start: JournalCheckpoint, after: JournalCursor) {
        guard stored.precedes(day) else { return (JournalCheckpoint(), try JournalStore.stream(db)) }
        return (stored, try JournalStore.stream(db, after: stored.sequence))
    }
}
