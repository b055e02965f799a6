import Foundation
import GRDB

/// A service's SQLite file: its domain tables plus the runtime's `inbox`, `outbox` and
/// `offsets` (DESIGN.md section 3), all written in one transaction per consumed batch.
///
/// One writer per service fits GRDB's `DatabaseQueue` (serialized access); WAL lets read-side
/// queries of the admin port run without blocking the writer for long.
public final class EventStore: Sendable {
    public let database: DatabaseQueue
    public let path: String

    /// Opens (creating if needed) the file at `path` and runs the runtime's migrations followed
    /// by the service's own.
    /// - Parameter migrations: registers the service's migrations, named and in order.
    /// - Throws: GRDB's error when the file cannot be opened or a migration fails.
    public init(path: String, migrations: (inout DatabaseMigrator) -> Void = { _ in }) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA journal_mode=WAL")
                // NORMAL in WAL mode survives a process crash; after a power loss the offsets roll
                // back together with the state, and reprocessing re-derives the same event ids.
                try db.execute(sql: "PRAGMA synchronous=NORMAL")
                // The inbox and outbox keys are random UUIDs, so every batch touches pages all
                // over their indexes; with SQLite's default 2 MB cache those pages were read
                // back from the OS on nearly every insert (pread was 6% of the runtime's CPU).
                try db.execute(sql: "PRAGMA cache_size=-32768")
                // Per-record savepoints keep their undo pages here; memory, not a temp file.
                try db.execute(sql: "PRAGMA temp_store=MEMORY")
            }
        }
        self.path = path
        self.database = try DatabaseQueue(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        RuntimeSchema.register(in: &migrator)
        migrations(&migrator)
        try migrator.migrate(database)
    }

    /// Runs `body` in one write transaction; nothing of it is kept if it throws.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try database.write(body)
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
    }
}
