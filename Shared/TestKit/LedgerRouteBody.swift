/// `/ledger` of the registry and settlement as a client reads it (`AdminRoute.ledger`).
public struct LedgerRouteBody: Decodable, Sendable {
    public struct Snapshot: Decodable, Sendable {
        public var format: Int
        public var sequence: Int64
        public var tradingDay: String?
        public var bytes: Int
    }
    public struct Restore: Decodable, Sendable {
        public var source: String
        public var snapshotSequence: Int64?
        public var entriesReplayed: Int64
        public var milliseconds: Int64
        public var snapshotRefused: String?
    }
    public var journalEntries: Int
    public var snapshot: Snapshot?
    public var lastRestore: Restore?
}
