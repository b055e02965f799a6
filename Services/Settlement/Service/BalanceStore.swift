import Contract
import Foundation
import GRDB
import Store
import SettlementDomain

/// The balance sheet as stored: each participant's balances (`accounts`), the exchange's fee
/// and clearing accounts (`exchange_accounts`) and every buy order's reservation
/// (`reservations`). The rows the inputs' entries touched are written back from the ledger in
/// the same transaction as the entries, once per batch (`PendingBalanceRows`), so the tables
/// equal the ledger at every commit; the end-of-day reconciliation then checks them against
/// the journal.
enum BalanceStore {
    static func saveAccount(_ db: Database, _ account: AccountID, ledger: FundsLedger, at now: Timestamp) throws {
        let balances = ledger.balances(of: account)
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO accounts (accountId, available, reserved, proceedsToday, withdrawable, bank, updatedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (accountId) DO UPDATE SET available = excluded.available, reserved = excluded.reserved,
                proceedsToday = excluded.proceedsToday, withdrawable = excluded.withdrawable, bank = excluded.bank,
                updatedAt = excluded.updatedAt
            """)
        try upsert.run {
            $0.bind(account.rawValue); $0.bind(balances.available.rawValue); $0.bind(balances.reserved.rawValue)
            $0.bind(balances.proceedsToday.rawValue); $0.bind(balances.withdrawable.rawValue)
            $0.bind(ledger.balance(of: .bank(account)).rawValue); $0.bind(now.millisecondsSinceEpoch)
        }
    }

    static func saveExchange(_ db: Database, _ account: FundsAccount, ledger: FundsLedger, at now: Timestamp) throws {
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO exchange_accounts (accountId, kind, balance, updatedAt) VALUES (?, ?, ?, ?)
            ON CONFLICT (accountId) DO UPDATE SET balance = excluded.balance, updatedAt = excluded.updatedAt
            """)
        try upsert.run {
            $0.bind(account.owner.rawValue); $0.bind(account.kind.rawValue); $0.bind(ledger.balance(of: account).rawValue)
            $0.bind(now.millisecondsSinceEpoch)
        }
    }

    /// - Parameter tradingDay: the day a reservation this inserts was made on.
    static func saveReservation(_ db: Database, _ order: OrderID, ledger: FundsLedger, closedBy: String?,
                                tradingDay: TradingDay?, at now: Timestamp) throws {
        guard let reservation = ledger.reservation(for: order) else { return }
        let status = reservation.isOpen ? "open" : reservation.remaining == .zero ? "filled" : "released"
        let reason = reservation.isOpen ? nil : status == "filled" ? "filled" : closedBy
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO reservations (orderId, accountId, quantity, limitPrice, feePpm, filled, amount, status, closedBy,
                                      tradingDay, updatedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (orderId) DO UPDATE SET filled = excluded.filled, amount = excluded.amount,
                status = excluded.status, closedBy = COALESCE(excluded.closedBy, closedBy), updatedAt = excluded.updatedAt
            """)
        try upsert.run {
            $0.bind(order.rawValue); $0.bind(reservation.accountId.rawValue); $0.bind(reservation.terms.quantity.rawValue)
            $0.bind(reservation.terms.limitPrice.rawValue); $0.bind(reservation.terms.feeRate.partsPerMillion)
            $0.bind(reservation.filled.rawValue); $0.bind(reservation.amount.rawValue); $0.bind(status); $0.bind(reason)
            $0.bind(tradingDay?.rawValue); $0.bind(now.millisecondsSinceEpoch)
        }
    }

    /// After a new trading day: yesterday's proceeds became withdrawable, so every account that
    /// had some is written back.
    static func refreshProceeds(_ db: Database, ledger: FundsLedger, at now: Timestamp) throws {
        let accounts = try String.fetchAll(db, sql: "SELECT accountId FROM accounts WHERE proceedsToday != 0")
        for account in accounts { try saveAccount(db, AccountID(account), ledger: ledger, at: now) }
    }

    /// The stored balance sheet in the ledger's terms, for the reconciliation: every
    /// participant's available and bank accounts, every open reservation, the exchange accounts.
    static func balanceSheet(_ db: Database, rules: SettlementRules) throws -> [FundsAccount: Fen] {
        var sheet: [FundsAccount: Fen] = [:]
        func put(_ account: FundsAccount, _ amount: Int64) {
            if amount != 0 { sheet[account, default: .zero] += Fen(amount) }
        }
        for row in try Row.fetchAll(db, sql: "SELECT accountId, available, bank FROM accounts") {
            let owner = AccountID(row[0] as String)
            put(.available(owner), row[1])
            put(.bank(owner), row[2])
        }
        for row in try Row.fetchAll(db, sql: "SELECT orderId, accountId, amount FROM reservations WHERE status = 'open'") {
            put(.reserved(AccountID(row[1] as String), OrderID(row[0] as String)), row[2])
        }
        for row in try Row.fetchAll(db, sql: "SELECT accountId, kind, balance FROM exchange_accounts") {
            guard let kind = FundsAccountKind(rawValue: row[1]) else {
                throw StoreCorruption("exchange account \(row[0] as String) has kind \(row[1] as String)")
            }
            put(FundsAccount(kind: kind, owner: AccountID(row[0] as String)), row[2])
        }
        return sheet
    }
}
