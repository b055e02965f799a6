import RegistryDomain
import Store

/// The registry's `HoldingsLedgerSnapshot` in the `ledger_snapshot` row (`LedgerSnapshotTable`),
/// replaced whenever a new trading day starts (and every `snapshotEveryEntries`) in the batch's
/// transaction.
extension HoldingsLedgerSnapshot: StorableLedgerSnapshot {
    public var storedSequence: Int64 { Int64(sequence) }
    public var storedTradingDay: String? { tradingDay?.description }
}
