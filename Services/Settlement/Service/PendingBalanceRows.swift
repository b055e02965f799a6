import Contract
import GRDB
import SettlementDomain
import Store
import Synchronization

/// The balance rows (`accounts`, `exchange_accounts`, `reservations`) that the inputs of the
/// open transaction changed and that are not written back yet.
///
/// Writing an account's row back after every input rewrote the same few dozen rows hundreds of
/// times a batch: a trade touches the buyer, the seller and the exchange's fee account, and 40
/// participants trade all day. The rows are therefore written once, from the ledger, when the
/// runtime asks for the handler's deferred writes (`EventHandler.writeDeferred`: at the end of
/// the batch, or after each record when it applies the batch record by record), and before
/// anything reads the tables inside the transaction or changes the ledger without entries (a
/// new trading day). Every row gets what the write after its last change would have given it:
/// the ledger's values then (nothing changes them in between), that input's time as
/// `updatedAt`, the trading day a new reservation started on, and the last reason that closed
/// it. So the tables still equal the ledger at every commit. An input's rows join the batch's
/// only once it is applied whole (`keep`), so a refused input's time is never written.
final class PendingBalanceRows: Sendable {
    private struct Rows: Sendable {
        var participants = KeyedInOrder<AccountID, Timestamp>()
        var exchange = KeyedInOrder<FundsAccount, Timestamp>()
        var reservations = KeyedInOrder<OrderID, ReservationChange>()

        var isEmpty: Bool { participants.isEmpty && exchange.isEmpty && reservations.isEmpty }

        mutating func add(_ staged: Staged) {
            for entry in staged.entries {
                // Each side on its own: an array of the two per entry was a visible allocation.
                touch(entry.debit, staged)
                touch(entry.credit, staged)
            }
        }

        private mutating func touch(_ account: FundsAccount, _ staged: Staged) {
            switch account.kind {
            case .available, .reserved, .bank:
                participants.set(account.owner, staged.at)
                if let order = account.orderId {
                    reservations.update(order) { change in
                        guard var change else {
                            return ReservationChange(closedBy: staged.closedBy, tradingDay: staged.tradingDay, at: staged.at)
                        }
                        change.closedBy = staged.closedBy ?? change.closedBy
                        change.at = staged.at
                        return change
                    }
                }
            case .fees, .clearing:
                exchange.set(account, staged.at)
            }
        }
    }

    /// What a reservation's row is written with, besides the ledger's values.
    struct ReservationChange: Sendable {
        var closedBy: String?
        var tradingDay: TradingDay?
        var at: Timestamp
    }

    /// The entries of the input being applied, kept apart until it is applied whole (`keep`).
    private struct Staged: Sendable {
        var entries: [FundsEntry]
        var closedBy: String?
        var tradingDay: TradingDay?
        var at: Timestamp
    }

    private let rows = Mutex((batch: Rows(), input: [Staged]()))

    /// Notes the rows `entries` touched, after the entries were stored. `ledger` is the ledger
    /// that made them (its trading day is a new reservation's). They count once the input is
    /// applied whole (`keep`).
    /// - Parameter closedBy: why a reservation these entries empty was closed (`cancelled`, ...).
    func note(_ entries: [FundsEntry], ledger: FundsLedger, closedBy: String?, at now: Timestamp) {
        let staged = Staged(entries: entries, closedBy: closedBy, tradingDay: ledger.tradingDay, at: now)
        rows.withLock { $0.input.append(staged) }
    }

    /// The input was applied: its rows join the batch's.
    func keep() {
        rows.withLock { rows in
            for staged in rows.input { rows.batch.add(staged) }
            rows.input.removeAll(keepingCapacity: true)
        }
    }

    /// The input was refused or failed: the runtime undoes its writes, so its rows are forgotten
    /// (a row another input changed stays noted under that input's time).
    func drop() {
        rows.withLock { $0.input.removeAll(keepingCapacity: true) }
    }

    /// Writes every noted row from `ledger` and forgets them, also when a write fails: a record
    /// applied in its own savepoint (`ApplyMode.careful`) must not hand its failed rows to the
    /// next one.
    func write(_ db: Database, ledger: FundsLedger) throws {
        let pending = rows.withLock { rows -> Rows in
            for staged in rows.input { rows.batch.add(staged) }
            rows.input.removeAll(keepingCapacity: true)
            defer { rows.batch = Rows() }
            return rows.batch
        }
        guard !pending.isEmpty else { return }
        for (account, at) in pending.participants.pairs { try BalanceStore.saveAccount(db, account, ledger: ledger, at: at) }
        for (account, at) in pending.exchange.pairs { try BalanceStore.saveExchange(db, account, ledger: ledger, at: at) }
        for (order, change) in pending.reservations.pairs {
            try BalanceStore.saveReservation(db, order, ledger: ledger, closedBy: change.closedBy,
                                             tradingDay: change.tradingDay, at: change.at)
        }
    }

    /// Forgets every noted row: the transaction that changed them rolled back.
    func discard() {
        rows.withLock { $0 = (Rows(), []) }
    }
}
