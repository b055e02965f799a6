import Contract
import GRDB
import Store

extension AdminRoute {
    /// `/ledger` of a service that keeps a journaled ledger in memory and snapshots it
    /// (`LedgerSnapshotTable`): the journal's length, the stored snapshot without its bytes, and
    /// how the ledger was last rebuilt, so that an operator sees what a restart replays and why
    /// one took long.
    public static func ledger(store: EventStoreReader, journalEntries: @escaping @Sendable (Database) throws -> Int,
                              lastRestore: @escaping @Sendable () -> RestoreReport?) -> AdminRoute {
        AdminRoute("/ledger", summary: "the journal's length, the stored ledger snapshot, how the ledger was last rebuilt") { _ in
            let restore = lastRestore()
            return .json(try store.read { db in
                LedgerRouteBody(journalEntries: try journalEntries(db),
                                snapshot: try LedgerSnapshotTable.summary(db).map(LedgerRouteBody.Snapshot.init),
                                lastRestore: restore)
            })
        }
    }
}

/// What `/ledger` answers.
struct LedgerRouteBody: Encodable {
    struct Snapshot: Encodable {
        var format: Int
        var sequence: Int64
        var tradingDay: String?
        var storedAt: Timestamp
        var bytes: Int

        init(_ summary: LedgerSnapshotTable.Summary) {
            format = summary.format
            sequence = summary.sequence
            tradingDay = summary.tradingDay
            storedAt = Timestamp(millisecondsSinceEpoch: summary.storedAtMilliseconds)
            bytes = summary.bytes
        }
    }
    var journalEntries: Int
    var snapshot: Snapshot?
    var lastRestore: RestoreReport?
}
