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
    /// stored. A GRDB error propagates (the store cannot be read: the caller retries), except one
    /// that says the bytes read cannot be used as they are (`SQLITE_CORRUPT` on a page of the
    /// snapshot's row, `SQLITE_TOOBIG`): retrying would meet the same bytes for ever, while the
    /// whole journal, on other pages, may still replay. That and any other error mean the
    /// snapshot cannot be trusted, and come back as the reason to replay the whole journal
    /// instead (whose own read errors propagate as before).
    public static func attempt<T>(_ fromSnapshot: () throws -> T?) throws -> (rebuilt: T?, refused: String?) {
        do {
            return (try fromSnapshot(), nil)
        } catch let error as DatabaseError {
            switch error.resultCode.primaryResultCode {
            case .SQLITE_CORRUPT, .SQLITE_TOOBIG:
                return (nil, "the store could not read the snapshot: \(error)")
            default:
                throw error
            }
        } catch {
            return (nil, "\(error)")
        }
    }
}
