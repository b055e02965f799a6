import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log back into the database file on a background connection, so that
/// the service's writer does not.
///
/// SQLite's automatic checkpoint runs inside the commit that pushes the log past 1,000 pages:
/// every few batches the loop's commit (or the publisher's small "published" mark, which then
/// held the loop waiting) copied megabytes and waited for two `fdatasync`s. This replaces that
/// hook on the writer's connection: a commit that leaves 4,000 or more pages in the log asks
/// for a PASSIVE checkpoint on a second connection, which never blocks the writer. (At 1,000
/// the pages a busy service rewrites every batch, its balances and indexes, were copied back
/// four times as often; 4,000 took 1-4 us less CPU per order in the saga, BENCHMARKS.md.) The log is
/// rewritten from its start only once a checkpoint has caught up between two commits, which a
/// busy writer may never allow, so a commit that leaves `restartFrames` in the log checkpoints
/// inline (by then the background has copied nearly everything, so it is short) and the next
/// transaction starts the log over: the log stays bounded.
final class WALCheckpointer: Sendable {
    let path: String
    let backgroundFrames: Int32
    let restartFrames: Int32
    private let queue = DispatchQueue(label: "eco.store.checkpoint", qos: .utility)
    private let scheduled = Atomic<Bool>(false)
    private let connection = Mutex<Connection?>(nil)

    init(path: String, backgroundFrames: Int32 = 4000, restartFrames: Int32 = 32_768) {
        self.path = path
        self.backgroundFrames = backgroundFrames
        self.restartFrames = restartFrames
    }

    /// Replaces SQLite's automatic checkpoint on the writer's connection `db` with this one.
    /// `self` must outlive the connection: keep it in the connection's configuration.
    func install(on db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, walHook, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called by SQLite after each commit, with the pages now in the log.
    fileprivate func committed(frames: Int32, writer: OpaquePointer?) {
        if frames >= restartFrames {
            // SQLite refuses a second checkpointer at once without waiting for it, so the inline
            // one waits for a background checkpoint in progress here. RESTART leaves the log to
            // be started over by the next transaction.
            connection.withLock { _ in
                _ = sqlite3_wal_checkpoint_v2(writer, nil, SQLITE_CHECKPOINT_RESTART, nil, nil)
            }
        } else if frames >= backgroundFrames, !scheduled.exchange(true, ordering: .acquiringAndReleasing) {
            queue.async { [self] in
                scheduled.store(false, ordering: .releasing)
                checkpointInBackground()
            }
        }
    }

    private func checkpointInBackground() {
        connection.withLock { connection in
            if connection == nil { connection = Connection(path: path) }
            connection?.checkpoint()
        }
    }

    /// The background connection: raw SQLite, opened on the first checkpoint and closed with
    /// the checkpointer. Only used under the checkpointer's lock.
    private final class Connection {
        let handle: OpaquePointer

        init?(path: String) {
            var handle: OpaquePointer?
            guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let handle else {
                sqlite3_close_v2(handle)
                return nil
            }
            // A connection learns the file is in WAL mode when it first reads it; until then
            // a checkpoint does nothing (and says the log is empty).
            guard sqlite3_exec(handle, "PRAGMA journal_mode", nil, nil, nil) == SQLITE_OK else {
                sqlite3_close_v2(handle)
                return nil
            }
            self.handle = handle
        }

        /// PASSIVE never waits for the writer or readers; what it cannot copy now is copied
        /// next time (a busy result is not an error here).
        func checkpoint() {
            sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }

        deinit { sqlite3_close_v2(handle) }
    }
}

private let walHook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = {
    context, writer, _, frames in
    guard let context else { return SQLITE_OK }
    Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(frames: frames, writer: writer)
    return SQLITE_OK
}
