import Foundation
import GRDB
import Store
import Testing

@Suite("Inbox, outbox and offsets")
struct StoreBookkeepingTests {
    let store: EventStore

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path
        store = try EventStore(path: path)
    }

    func message(_ id: String, topic: String = "t") -> OutboxMessage {
        OutboxMessage(eventId: id, topic: topic, key: Data("k".utf8), value: Data("v-\(id)".utf8), eventType: "T",
                      version: 1, createdAt: 1)
    }

    @Test func inboxClaimsAnEventIdOnlyOnce() throws {
        let first = try store.write { try store.inbox.claim($0, eventId: "e1", topic: "t", partition: 0, offset: 1, at: 1) }
        let second = try store.write { try store.inbox.claim($0, eventId: "e1", topic: "t", partition: 0, offset: 7, at: 2) }
        #expect(first)
        #expect(!second)
        #expect(try store.read { try Inbox.contains($0, eventId: "e1") })
        #expect(try store.read(Inbox.count) == 1)
    }

    @Test func claimedRowsAreWrittenAtCommitInClaimOrderWithTheirFields() throws {
        // 70 claims: two full multi-row statements and a remainder, with one duplicate.
        let claimed = try store.write { db in
            try (0..<70).map { index in
                try store.inbox.claim(db, eventId: "e\(index % 69)", topic: "t\(index % 2)", partition: Int32(index % 3),
                                      offset: Int64(index), at: Int64(1_000 + index))
            }
        }
        #expect(claimed == Array(repeating: true, count: 69) + [false])
        let rows = try store.read { try Row.fetchAll($0, sql: "SELECT eventId, topic, partition, offset, processedAt FROM inbox ORDER BY seq") }
        #expect(rows.count == 69)
        for (index, row) in rows.enumerated() {
            #expect(row[0] as String == "e\(index)" && row[1] as String == "t\(index % 2)" && row[2] as Int32 == Int32(index % 3))
            #expect(row[3] as Int64 == Int64(index) && row[4] as Int64 == Int64(1_000 + index))
        }
    }

    @Test func outboxDropsASecondCopyOfTheSameEventId() throws {
        #expect(try store.write { try store.outbox.append($0, message("a")) })
        #expect(try !store.write { try store.outbox.append($0, message("a")) })
        #expect(try store.read(Outbox.pendingCount) == 1)
    }

    @Test func appendingManyAtOnceKeepsOrderAndDropsCopiesLikeOneByOne() throws {
        _ = try store.write { try store.outbox.append($0, message("m5")) }
        // 70 messages: two full multi-row statements and a remainder; m5 exists already and
        // m40 appears twice in the same call.
        var batch = (0..<70).map { message("m\($0)") }
        batch.insert(message("m40"), at: 50)
        try store.write { try store.outbox.appendAll($0, batch) }
        let ids = try store.read { try Outbox.all($0) }.map(\.eventId)
        #expect(ids == ["m5"] + (0..<70).filter { $0 != 5 }.map { "m\($0)" })
        let rows = try store.read { try Outbox.all($0) }
        #expect(rows.allSatisfy { $0.value == Data("v-\($0.eventId)".utf8) && $0.key == Data("k".utf8) })
    }

    @Test func outboxHandsOutPendingRowsInWriteOrderAndForgetsPublishedOnes() throws {
        try store.write { db in for id in ["a", "b", "c", "d"] { try store.outbox.append(db, message(id)) } }
        let firstTwo = try store.read { try Outbox.pending($0, limit: 2) }
        #expect(firstTwo.map(\.eventId) == ["a", "b"])
        try store.write { try store.outbox.markPublished($0, through: firstTwo[1].seq, at: 10) }
        #expect(try store.read { try Outbox.pending($0, limit: 10) }.map(\.eventId) == ["c", "d"])
        #expect(try store.read { try Outbox.all($0) }.count == 4)
    }

    @Test func pruningRemovesOnlyOldPublishedRows() throws {
        try store.write { db in for id in ["a", "b", "c"] { try store.outbox.append(db, message(id)) } }
        let rows = try store.read { try Outbox.pending($0, limit: 10) }
        try store.write { try store.outbox.markPublished($0, through: rows[0].seq, at: 100) }
        try store.write { try store.outbox.markPublished($0, through: rows[1].seq, at: 100_000) }
        let removed = try store.write { try store.outbox.prune($0, publishedBefore: 50_000) }
        #expect(removed == 1)
        #expect(try store.read { try Outbox.all($0) }.map(\.eventId) == ["b", "c"])
        #expect(try store.read(Outbox.pendingCount) == 1)
    }

    @Test func offsetsAreUpsertedPerPartition() throws {
        let p0 = TopicPartition(topic: "t", partition: 0), p1 = TopicPartition(topic: "t", partition: 1)
        try store.write { db in
            try Offsets.store(db, p0, next: 5)
            try Offsets.store(db, p1, next: 3)
            try Offsets.store(db, p0, next: 9)
        }
        #expect(try store.read(Offsets.load) == [p0: 9, p1: 3])
    }

    @Test func aFailedTransactionKeepsNothing() throws {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.write { db in
                try store.outbox.append(db, message("x"))
                try Offsets.store(db, TopicPartition(topic: "t", partition: 0), next: 42)
                throw Boom()
            }
        }
        #expect(try store.read(Outbox.pendingCount) == 0)
        #expect(try store.read(Offsets.load).isEmpty)
    }

    @Test func reopeningAnExistingFileKeepsItsRowsAndMigrations() throws {
        _ = try store.write { try store.outbox.append($0, message("kept")) }
        let reopened = try EventStore(path: store.path)
        #expect(try reopened.read(Outbox.pendingCount) == 1)
        // The in-memory mirrors of the ids are loaded from the tables.
        #expect(try !reopened.write { try reopened.outbox.append($0, message("kept")) })
        let mode = try reopened.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func publishingProgressKeepsOneRowPerMinute() throws {
        try store.write { db in for id in ["a", "b", "c", "d"] { try store.outbox.append(db, message(id)) } }
        let seqs = try store.read { try Outbox.pending($0, limit: 10) }.map(\.seq)
        try store.write { db in
            try store.outbox.markPublished(db, through: seqs[0], at: 1_000)
            try store.outbox.markPublished(db, through: seqs[1], at: 30_000) // same minute: moves the step on
            try store.outbox.markPublished(db, through: seqs[2], at: 70_000) // a new minute: a new step
            try store.outbox.markPublished(db, through: seqs[1], at: 80_000) // behind: changes nothing
        }
        let steps = try store.read { try Row.fetchAll($0, sql: "SELECT throughSeq, publishedAt FROM outbox_published ORDER BY 1") }
        #expect(steps.map { [$0[0] as Int64, $0[1] as Int64] } == [[seqs[1], 1_000], [seqs[2], 70_000]])
        #expect(try store.read { try Outbox.pending($0, limit: 10) }.map(\.eventId) == ["d"])
        // Rows of the first step are pruned by its time; the second step's are not yet.
        #expect(try store.write { try store.outbox.prune($0, publishedBefore: 50_000) } == 2)
        #expect(try store.read { try Outbox.all($0) }.map(\.eventId) == ["c", "d"])
    }

    @Test func anIdClaimedInARolledBackTransactionIsNotKept() throws {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.write { db in
                #expect(try store.inbox.claim(db, eventId: "e1", topic: "t", partition: 0, offset: 1, at: 1))
                // Within the transaction the claim already counts.
                #expect(try !store.inbox.claim(db, eventId: "e1", topic: "t", partition: 0, offset: 1, at: 1))
                #expect(try store.outbox.append(db, message("o1")))
                throw Boom()
            }
        }
        #expect(!store.inbox.contains(eventId: "e1"))
        #expect(try store.write { try store.inbox.claim($0, eventId: "e1", topic: "t", partition: 0, offset: 1, at: 1) })
        #expect(try store.write { try store.outbox.append($0, message("o1")) })
        #expect(try store.read(Inbox.count) == 1)
        #expect(try store.read { try Outbox.all($0) }.map(\.eventId) == ["o1"])
    }

    @Test func pruningTheInboxForgetsOnlyOldIds() throws {
        let canonical = UUID().uuidString.lowercased()
        try store.write { db in
            _ = try store.inbox.claim(db, eventId: canonical, topic: "t", partition: 0, offset: 1, at: 100)
            _ = try store.inbox.claim(db, eventId: "old", topic: "t", partition: 0, offset: 2, at: 150)
            _ = try store.inbox.claim(db, eventId: "new", topic: "t", partition: 0, offset: 3, at: 300)
        }
        #expect(try store.write { try store.inbox.prune($0, processedBefore: 200) } == 2)
        #expect(try store.read(Inbox.count) == 1)
        #expect(!store.inbox.contains(eventId: canonical))
        #expect(store.inbox.contains(eventId: "new"))
        #expect(try store.write { try store.inbox.claim($0, eventId: canonical, topic: "t", partition: 0, offset: 4, at: 400) })
        #expect(try !store.write { try store.inbox.claim($0, eventId: "new", topic: "t", partition: 0, offset: 5, at: 400) })
    }

    @Test func aLargeInboxBacklogIsPrunedInBoundedSteps() throws {
        try store.write { db in
            for index in 0..<25 {
                _ = try store.inbox.claim(db, eventId: "e\(index)", topic: "t", partition: 0, offset: Int64(index), at: 10)
            }
        }
        #expect(try store.write { try store.inbox.prune($0, processedBefore: 100, limit: 10) } == 10)
        #expect(try store.write { try store.inbox.prune($0, processedBefore: 100, limit: 10) } == 10)
        #expect(try store.write { try store.inbox.prune($0, processedBefore: 100, limit: 10) } == 5)
        #expect(try store.read(Inbox.count) == 0)
        #expect(!store.inbox.contains(eventId: "e0") && !store.inbox.contains(eventId: "e24"))
    }

    @Test func idsDifferingOnlyInCaseAreDifferentIds() throws {
        let lower = UUID().uuidString.lowercased()
        let claimed = try store.write { db in
            [try store.inbox.claim(db, eventId: lower, topic: "t", partition: 0, offset: 1, at: 1),
             try store.inbox.claim(db, eventId: lower.uppercased(), topic: "t", partition: 0, offset: 2, at: 1),
             try store.inbox.claim(db, eventId: lower, topic: "t", partition: 0, offset: 3, at: 1)]
        }
        #expect(claimed == [true, true, false])
    }

    /// A store written by the first schema (unique inbox and outbox ids, a per-row published
    /// flag) opens with its rows, publishing progress, id sequence and known ids intact.
    @Test func aStoreOfTheFirstSchemaIsMigratedWithItsRowsAndProgress() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v1-\(UUID().uuidString).sqlite").path
        let old = try DatabaseQueue(path: path)
        try old.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('runtime-v1');
                CREATE TABLE inbox (eventId TEXT PRIMARY KEY NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL,
                    offset INTEGER NOT NULL, processedAt INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, eventId TEXT NOT NULL UNIQUE, topic TEXT NOT NULL,
                    key BLOB, value BLOB NOT NULL, eventType TEXT NOT NULL, version INTEGER NOT NULL,
                    createdAt INTEGER NOT NULL, publishedAt INTEGER);
                CREATE INDEX outbox_unpublished ON outbox(seq) WHERE publishedAt IS NULL;
                CREATE TABLE offsets (topic TEXT NOT NULL, partition INTEGER NOT NULL, nextOffset INTEGER NOT NULL,
                    PRIMARY KEY (topic, partition)) WITHOUT ROWID;
                INSERT INTO inbox VALUES ('in-1', 't', 0, 0, 10), ('in-2', 't', 0, 1, 20);
                INSERT INTO outbox (eventId, topic, key, value, eventType, version, createdAt, publishedAt) VALUES
                    ('a', 't', NULL, x'01', 'T', 1, 1, 100), ('b', 't', NULL, x'02', 'T', 1, 1, 200),
                    ('c', 't', NULL, x'03', 'T', 1, 1, NULL), ('d', 't', NULL, x'04', 'T', 1, 1, NULL);
                DELETE FROM outbox WHERE eventId = 'a';
                """)
        }
        try old.close()
        let migrated = try EventStore(path: path)
        #expect(try migrated.read { try Outbox.pending($0, limit: 10) }.map(\.eventId) == ["c", "d"])
        #expect(try migrated.read(Outbox.publishedThrough) == 2)
        #expect(try migrated.read(Inbox.count) == 2)
        #expect(migrated.inbox.contains(eventId: "in-2"))
        #expect(try !migrated.write { try migrated.outbox.append($0, message("b")) })
        #expect(try migrated.write { try migrated.outbox.append($0, message("e")) })
        #expect(try migrated.read { try Outbox.all($0) }.map(\.seq) == [2, 3, 4, 5])
        // Pruning everything published keeps the sequence going, so nothing new looks published.
        try migrated.write { try migrated.outbox.markPublished($0, through: 5, at: 300) }
        #expect(try migrated.write { try migrated.outbox.prune($0, publishedBefore: 1000) } == 4)
        #expect(try migrated.write { try migrated.outbox.append($0, message("f")) })
        #expect(try migrated.read { try Outbox.pending($0, limit: 10) }.map(\.seq) == [6])
    }
}
