import GRDB

/// How a service last rebuilt the ledger it keeps in memory: from its stored snapshot and the
/// journal after it, or from the whole journal (and then why a stored snapshot was passed over).
/// Read sides show it; restarts that take long are explained by it.
public struct RestoreReport: Encodable, Sendable, Equatable {
    public enum Source: String, Encodable, Sendable { case snapshot, journal }
    public var source: Source
    public var snapshotSequence: Int64?
    public var entriesReplayed: Int64
    public var milliseconds: Int64
    public var snapshotRefused: String?

    public init(source: Source, snapshotSequence: Int64?, entriesReplayed: Int64, since start: ContinuousClock.Instant,
                snapshotRefused: String?) {
        self.source = source
        self.snapshotSequence = snapshotSequence
        self.entriesReplayed = entriesReplayed
        let elapsed = (ContinuousClock.now - start).components
        milliseconds = elapsed.seconds * 1_000 + elapsed.attoseconds / 1_000_000_000_000_000
        self.snapshotRefused = snapshotRefused
    }
}

extension RestoreReport {
    /// Runs `fromSnapshot`, a rebuild from the stored snapshot that answers nil when none is
    /// stored. A GRDB error propagates (the store cannot be read: the caller retries); any other
    /// error means the snapshot cannot be trusted, and comes back as the reason to replay the
    /// whole journal instead. (A snapshot row whose pages SQLite finds corrupt is such a reason:
    /// `LedgerSnapshotTable.load` says so with `UnusableLedgerSnapshot`.)
    public static func attempt<T>(_ fromSnapshot: () throws -> T?) throws -> (rebuilt: T?, refused: String?) {
        do {
            return (try fromSnapshot(), nil)
        } catch let error as DatabaseError {
            throw error
        } catch {
            return (nil, "\(error)")
        }
    }
}
