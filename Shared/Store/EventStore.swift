import Foundation
import CSQLiteTuning
import GRDB

/// A service's SQLite file: its domain tables plus the runtime's `inbox`, `outbox` and
/// `offsets` (DESIGN.md section 3), all written in one transaction per consumed batch.
///
/// One writer per service, with reads on connections of their own (GRDB's `DatabasePool` over
/// WAL): the publisher's reads of the outbox and the admin port's read sides run beside the
/// loop's transaction instead of queueing behind it. With a single serialized connection the
/// publisher's catch-up reads held the loop's writer idle for a third of its time.
public final class EventStore: Sendable {
    public let database: any DatabaseWriter
    public let path: String
    /// The applied event ids; `claim` inside the batch's transaction.
    public let inbox: Inbox
    /// The events to publish; `append` inside the transaction that caused them.
    public let outbox: Outbox

    /// Turns off SQLite's memory statistics, which cost a global mutex on every allocation
    /// (`CSQLiteTuning`). Call it once, first thing in a process and before any connection
    /// opens: SQLite's configuration is not threadsafe and is fixed once SQLite initialises.
    /// - Returns: whether it took effect (false when SQLite was already in use).
    public static func turnOffSQLiteMemoryStatistics() -> Bool {
        eco_sqlite_disable_memory_statistics() == 0 // SQLITE_OK
    }

    /// Opens (creating if needed) the file at `path` and runs the runtime's migrations followed
    /// by the service's own.
    /// - Parameter migrations: registers the service's migrations, named and in order.
    /// - Throws: GRDB's error when the file cannot be opened or a migration fails.
    public init(path: String, migrations: (inout DatabaseMigrator) -> Void = { _ in }) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let checkpointer = WALCheckpointer(path: path)
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA journal_mode=WAL")
                // NORMAL in WAL mode survives a process crash; after a power loss the offsets roll
                // back together with the state, and reprocessing re-derives the same event ids.
                try db.execute(sql: "PRAGMA synchronous=NORMAL")
                // Domain tables keyed by random ids (orders, trades) touch pages all over their
                // indexes; with SQLite's default 2 MB cache those pages were read back from the
                // OS on nearly every insert (pread was 6% of the runtime's CPU).
                try db.execute(sql: "PRAGMA cache_size=-32768")
                // Per-record savepoints keep their undo pages here; memory, not a temp file.
                try db.execute(sql: "PRAGMA temp_store=MEMORY")
                // The log may reach about 128 MB before it is started over (`WALCheckpointer`);
                // its file is cut back to 64 MB then, instead of keeping its largest size.
                try db.execute(sql: "PRAGMA journal_size_limit=67108864")
                // Held by this closure, so by the configuration of the connection it serves.
                if path != ":memory:", !path.isEmpty { checkpointer.install(on: db) }
            }
        }
        self.path = path
        let database: any DatabaseWriter = path == ":memory:" || path.isEmpty
            ? try DatabaseQueue(path: path, configuration: configuration)
            : try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        RuntimeSchema.register(in: &migrator)
        migrations(&migrator)
        try migrator.migrate(database)
        self.database = database
        (inbox, outbox) = try database.read { db in (try Inbox(db), try Outbox(db)) }
    }

    /// Runs `body` in one write transaction; nothing of it is kept if it throws. Inbox claims
    /// and outbox appends must be made here, so that their in-memory id mirrors follow the
    /// transaction's outcome.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        // Settled before the queue is released, so no other writer's transaction can
        // interleave between a commit and its mirrors.
        try database.writeWithoutTransaction { db in
            var result: T?
            do {
                try db.inTransaction {
                    result = try body(db)
                    try inbox.writeClaimed(db)
                    return .commit
                }
            } catch {
                settle(committed: false)
                throw error
            }
            settle(committed: true)
            guard let result else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "transaction without a result") }
            return result
        }
    }

    private func settle(committed: Bool) {
        inbox.settle(committed: committed)
        outbox.settle(committed: committed)
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try database.read(body)
    }
}

/// The runtime's own tables, shared by every service.
enum RuntimeSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("runtime-v1") { db in
            try db.execute(sql: """
                CREATE TABLE inbox (
                    eventId TEXT PRIMARY KEY NOT NULL,
                    topic TEXT NOT NULL,
                    partition INTEGER NOT NULL,
                    offset INTEGER NOT NULL,
                    processedAt INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    eventId TEXT NOT NULL UNIQUE,
                    topic TEXT NOT NULL,
                    key BLOB,
                    value BLOB NOT NULL,
                    eventType TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    createdAt INTEGER NOT NULL,
                    publishedAt INTEGER
                );
                CREATE INDEX outbox_unpublished ON outbox(seq) WHERE publishedAt IS NULL;
                CREATE TABLE offsets (
                    topic TEXT NOT NULL,
                    partition INTEGER NOT NULL,
                    nextOffset INTEGER NOT NULL,
                    PRIMARY KEY (topic, partition)
                ) WITHOUT ROWID;
                """)
        }
        // The inbox becomes a log in applied order and the outbox loses its unique index and
        // per-row published flag (see `KnownIDs`); existing rows, the outbox's sequence and
        // its publishing progress are carried over.
        migrator.registerMigration("runtime-v2-append-only") { db in
            try db.execute(sql: """
                CREATE TABLE inbox_log (
                    seq INTEGER PRIMARY KEY,
                    eventId TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    partition INTEGER NOT NULL,
                    offset INTEGER NOT NULL,
                    processedAt INTEGER NOT NULL
                );
                INSERT INTO inbox_log (eventId, topic, partition, offset, processedAt)
                    SELECT eventId, topic, partition, offset, processedAt FROM inbox ORDER BY processedAt;
                DROP TABLE inbox;
                ALTER TABLE inbox_log RENAME TO inbox;

                CREATE TABLE outbox_published (
                    throughSeq INTEGER PRIMARY KEY NOT NULL,
                    publishedAt INTEGER NOT NULL
                );
                INSERT INTO outbox_published (throughSeq, publishedAt)
                    SELECT seq, publishedAt FROM outbox WHERE publishedAt IS NOT NULL;
                CREATE TABLE outbox_log (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    eventId TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    key BLOB,
                    value BLOB NOT NULL,
                    eventType TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    createdAt INTEGER NOT NULL
                );
                INSERT INTO outbox_log (seq, eventId, topic, key, value, eventType, version, createdAt)
                    SELECT seq, eventId, topic, key, value, eventType, version, createdAt FROM outbox ORDER BY seq;
                DELETE FROM sqlite_sequence WHERE name = 'outbox_log';
                INSERT INTO sqlite_sequence (name, seq)
                    SELECT 'outbox_log', COALESCE(MAX(seq), 0) FROM (
                        SELECT seq FROM sqlite_sequence WHERE name = 'outbox'
                        UNION ALL SELECT MAX(seq) FROM outbox_log);
                DROP TABLE outbox;
                ALTER TABLE outbox_log RENAME TO outbox;
                """)
        }
        migrator.registerMigration("runtime-v3-offset-moves") { db in
            try OffsetMoves.createTable(db)
        }
    }
}
