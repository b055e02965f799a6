import SettlementDomain
import Store

/// Settlement's `LedgerSnapshot` in the `ledger_snapshot` row (`LedgerSnapshotTable`), replaced
/// at each day's close (and every `snapshotEveryEntries`) in the batch's transaction.
extension LedgerSnapshot: StorableLedgerSnapshot {
    public var storedSequence: Int64 { sequence }
    public var storedTradingDay: String? { tradingDay?.rawValue }
}
