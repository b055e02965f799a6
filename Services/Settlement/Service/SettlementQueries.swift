import Contract
import Foundation
import GRDB
import SettlementDomain

/// The read side's queries over the stored balances and journal.
enum SettlementQueries {
    static func account(_ db: Database, _ id: String) throws -> AccountView? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT available, reserved, withdrawable, proceedsToday, bank FROM accounts WHERE accountId = ?
            """, arguments: [id]) else { return nil }
        let available: Int64 = row[0], reserved: Int64 = row[1], bank: Int64 = row[4]
        let open = try Row.fetchAll(db, sql: "\(reservationSelect) WHERE accountId = ? AND status = 'open' ORDER BY orderId",
                                    arguments: [id]).map(reservation(from:))
        return AccountView(accountId: id, available: available, reserved: reserved, withdrawable: row[2],
                           proceedsToday: row[3], funds: available + reserved, netDeposits: -bank, openReservations: open)
    }

    static func reservation(_ db: Database, _ orderId: String) throws -> ReservationView? {
        try Row.fetchOne(db, sql: "\(reservationSelect) WHERE orderId = ?", arguments: [orderId]).map(reservation(from:))
    }

    private static let reservationSelect = """
        SELECT orderId, accountId, quantity, limitPrice, feePpm, filled, amount, status, closedBy, tradingDay FROM reservations
        """

    private static func reservation(from row: Row) -> ReservationView {
        ReservationView(orderId: row[0], accountId: row[1], quantity: row[2], limitPrice: row[3], feePpm: row[4], filled: row[5],
                        amount: row[6], status: row[7], closedBy: row[8], tradingDay: row[9])
    }

    /// The account's entries with `seq < before`, newest first; nil for an account never seen.
    static func ledger(_ db: Database, _ id: String, before: Int64, limit: Int) throws -> LedgerView? {
        guard try Int.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE accountId = ?", arguments: [id]) != nil else { return nil }
        let rows = try Row.fetchAll(db, sql: """
            SELECT seq, kind, debitKind, debitOwner, debitOrder, creditKind, creditOwner, creditOrder, amount, reference,
                   tradingDay, quantity, price FROM journal WHERE participant = ? AND seq < ? ORDER BY seq DESC LIMIT ?
            """, arguments: [id, before, limit])
        let entries = rows.map { row -> EntryView in
            let amount: Int64 = row[8]
            func name(_ kind: String, _ owner: String, _ order: String?) -> String {
                order.map { "\(kind):\(owner):\($0)" } ?? "\(kind):\(owner)"
            }
            func holds(_ kind: String, _ owner: String) -> Bool {
                owner == id && (kind == FundsAccountKind.available.rawValue || kind == FundsAccountKind.reserved.rawValue)
            }
            let debitKind: String = row[2], debitOwner: String = row[3], creditKind: String = row[5], creditOwner: String = row[6]
            let change = (holds(debitKind, debitOwner) ? amount : 0) - (holds(creditKind, creditOwner) ? amount : 0)
            return EntryView(seq: row[0], kind: row[1], amount: amount, fundsChange: change,
                             debit: name(debitKind, debitOwner, row[4]), credit: name(creditKind, creditOwner, row[7]),
                             reference: row[9], tradingDay: row[10], quantity: row[11], price: row[12])
        }
        return LedgerView(accountId: id, entries: entries)
    }

    /// The market-wide check of DESIGN.md's funds invariant, from the stored tables.
    static func totals(_ db: Database, rules: SettlementRules) throws -> TotalsView {
        var sums: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT kind, SUM(amount) FROM journal GROUP BY kind") {
            sums[row[0]] = row[1]
        }
        let (deposited, withdrawn, fees) = (sums["deposit"] ?? 0, sums["withdraw"] ?? 0, sums["fee"] ?? 0)
        let balances = try Row.fetchOne(db, sql: """
            SELECT COALESCE(SUM(available), 0), COALESCE(SUM(reserved), 0), COUNT(*),
                   COALESCE(SUM(available < 0 OR reserved < 0 OR withdrawable < 0), 0) FROM accounts
            """)
        let available: Int64 = balances?[0] ?? 0, reserved: Int64 = balances?[1] ?? 0
        let negative: Int64 = balances?[3] ?? 0
        let feeAccount = try Int64.fetchOne(db, sql: "SELECT balance FROM exchange_accounts WHERE accountId = ?",
                                            arguments: [rules.feeAccountId.rawValue]) ?? 0
        let clearing = try Int64.fetchOne(db, sql: "SELECT balance FROM exchange_accounts WHERE accountId = ?",
                                          arguments: [rules.clearingAccountId.rawValue]) ?? 0
        let openReservations = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reservations WHERE status = 'open'") ?? 0
        let openHeld = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM reservations WHERE status = 'open'") ?? 0
        var problems: [String] = []
        let funds = available + reserved
        if funds != deposited - withdrawn - fees {
            problems.append("accounts hold \(funds), deposits \(deposited) - withdrawals \(withdrawn) - fees \(fees) is "
                + "\(deposited - withdrawn - fees)")
        }
        if feeAccount != fees { problems.append("fee account holds \(feeAccount), fees charged \(fees)") }
        if clearing != 0 { problems.append("clearing account holds \(clearing)") }
        if negative > 0 { problems.append("\(negative) account(s) have a negative balance") }
        if openHeld != reserved { problems.append("open reservations hold \(openHeld), accounts show \(reserved) reserved") }
        return TotalsView(tradingDay: try JournalStore.tradingDay(db)?.rawValue, deposited: deposited, withdrawn: withdrawn,
                          feesCharged: fees, participantFunds: funds, available: available, reserved: reserved,
                          feeAccount: feeAccount, clearing: clearing, balanced: problems.isEmpty, problems: problems,
                          accounts: balances?[2] ?? 0, openReservations: openReservations,
                          journalEntries: try JournalStore.count(db))
    }
}
