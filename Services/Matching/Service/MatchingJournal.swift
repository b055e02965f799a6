import Foundation
import GRDB
import MatchingDomain
import Store

/// The matching service's tables: the journal of every input applied to the engine, in order,
/// and periodic snapshots of the whole state.
///
/// Both are written in the runtime's batch transaction, together with the inbox, outbox and
/// offsets, so what SQLite committed is always a consistent point: the latest snapshot plus the
/// journal rows after it rebuild exactly the engine whose outputs were committed.
enum MatchingJournal {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("matching-journal-v1") { db in
            try db.execute(sql: """
                CREATE TABLE journal (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    type TEXT NOT NULL,
                    input TEXT NOT NULL,
                    eventId TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE TABLE snapshots (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    state BLOB NOT NULL,
                    bytes INTEGER NOT NULL,
                    takenAt INTEGER NOT NULL
                );
                """)
        }
    }

    /// Appends one input. `seq` is the previous one plus one; the primary key refuses a gap's
    /// twin, so two writers can never interleave one journal.
    static func append(_ db: Database, seq: Int64, kind: String, input: [UInt8], eventId: String, at: Int64) throws {
        // Bound directly (`Statement.run`): every input takes this path, and GRDB's boxed
        // arguments cost more than the insert itself.
        let statement = try db.cachedStatement(sql: "INSERT INTO journal (seq, type, input, eventId, at) VALUES (?, ?, ?, ?, ?)")
        try statement.run { binder in
            binder.bind(seq); binder.bind(kind); binder.bindText(input); binder.bind(eventId); binder.bind(at)
        }
    }

    /// Stores the state as of `seq` (every input up to and including `seq` applied), then drops
    /// what no restore can need any more: all but the two latest snapshots and, unless the whole
    /// journal is kept for audit, the journal up to the older of those two. Two are kept so that
    /// a snapshot a newer build cannot decode still leaves one to fall back on.
    static func storeSnapshot(_ db: Database, seq: Int64, state: [UInt8], at: Int64, keepJournal: Bool) throws {
        // Bound in place: SQLite reads the encoder's buffer instead of a copy of it.
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO snapshots (seq, state, bytes, takenAt) VALUES (?, ?, ?, ?)")
        try state.withUnsafeBytes { bytes in
            try insert.run { binder in
                binder.bind(seq)
                binder.bindBorrowed(bytes)
                binder.bind(bytes.count)
                binder.bind(at)
            }
        }
        guard let older = try Int64.fetchOne(db, sql: "SELECT seq FROM snapshots ORDER BY seq DESC LIMIT 1 OFFSET 1") else {
            return
        }
        try db.execute(sql: "DELETE FROM snapshots WHERE seq < ?", arguments: [older])
        if !keepJournal {
            try db.execute(sql: "DELETE FROM journal WHERE seq <= ?", arguments: [older])
        }
    }

    /// The state SQLite committed: the newest snapshot that decodes, plus the journal after it.
    /// With no usable snapshot, the journal from its first row (which must then be seq 1).
    /// - Throws: when no snapshot decodes and the journal no longer starts at 1 (it was pruned),
    ///   or a journal row does not decode: recovering would silently lose inputs.
    static func recover(_ db: Database, fresh: MatchingState) throws -> Recovered {
        let decoder = JSONDecoder()
        var base: (seq: Int64, state: MatchingState, bytes: Int)?
        for seq in try Int64.fetchAll(db, sql: "SELECT seq FROM snapshots ORDER BY seq DESC") {
            let bytes = [UInt8](try Data.fetchOne(db, sql: "SELECT state FROM snapshots WHERE seq = ?", arguments: [seq]) ?? Data())
            if let state = try? MatchingState.readSnapshot(bytes) {
                // An earlier version's JSON snapshot is five times the binary one's size: counted
                // as such, it would put the next snapshot five times as many inputs away. Counted
                // as nothing, the next one (binary) comes after `snapshotEvery` inputs.
                base = (seq, state, bytes.starts(with: MatchingState.snapshotMark) ? bytes.count : 0)
                break
            }
        }
        var state = base?.state ?? fresh
        let from = base?.seq ?? 0
        var last = from
        var outputs: [MatchingOutput] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, input FROM journal WHERE seq > ? ORDER BY seq", arguments: [from])
        while let row = try rows.next() {
            let seq: Int64 = row["seq"]
            guard seq == last + 1 else {
                throw RecoveryError(reason: "the journal jumps from \(last) to \(seq): no snapshot covers the gap")
            }
            let text: String = row["input"]
            let input = try decoder.decode(MatchingInput.self, from: Data(text.utf8))
            _ = state.apply(input, into: &outputs)
            outputs.removeAll(keepingCapacity: true)
            last = seq
        }
        return Recovered(state: state, lastSeq: last, snapshotSeq: base?.seq ?? 0, snapshotBytes: base?.bytes ?? 0)
    }

    /// What the admin port shows about the journal.
    static func summary(_ db: Database) throws -> JournalSummary {
        let first = try Int64.fetchOne(db, sql: "SELECT MIN(seq) FROM journal")
        let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM journal")
        let rows = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM journal") ?? 0
        let snapshots = try Row.fetchAll(db, sql: "SELECT seq, bytes, takenAt FROM snapshots ORDER BY seq DESC").map {
            JournalSummary.Snapshot(seq: $0["seq"], bytes: $0["bytes"], takenAt: $0["takenAt"])
        }
        return JournalSummary(firstSeq: first, lastSeq: last, rows: rows, snapshots: snapshots)
    }
}

/// The state rebuilt from SQLite, with where the journal stands.
struct Recovered {
    var state: MatchingState
    /// The last input applied (0 for none).
    var lastSeq: Int64
    /// The input the newest usable snapshot was taken after (0 for none).
    var snapshotSeq: Int64
    /// That snapshot's size in bytes, which spaces the next one (0 for an earlier version's
    /// JSON snapshot, so that a binary one replaces it soon).
    var snapshotBytes: Int
}

struct RecoveryError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "cannot rebuild the matching engine: \(reason)" }
}

/// `GET /journal`.
struct JournalSummary: Codable, Sendable {
    struct Snapshot: Codable, Sendable {
        var seq: Int64
        var bytes: Int64
        var takenAt: Int64
    }
    var firstSeq: Int64?
    var lastSeq: Int64?
    var rows: Int64
    var snapshots: [Snapshot]
}
