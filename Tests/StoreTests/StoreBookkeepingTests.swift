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
        let first = try store.write { try Inbox.claim($0, eventId: "e1", topic: "t", partition: 0, offset: 1, at: 1) }
        let second = try store.write { try Inbox.claim($0, eventId: "e1", topic: "t", partition: 0, offset: 7, at: 2) }
        #expect(first)
        #expect(!second)
        #expect(try store.read { try Inbox.contains($0, eventId: "e1") })
        #expect(try store.read(Inbox.count) == 1)
    }

    @Test func outboxDropsASecondCopyOfTheSameEventId() throws {
        #expect(try store.write { try Outbox.append($0, message("a")) })
        #expect(try !store.write { try Outbox.append($0, message("a")) })
        #expect(try store.read(Outbox.pendingCount) == 1)
    }

    @Test func appendingManyAtOnceKeepsOrderAndDropsCopiesLikeOneByOne() throws {
        _ = try store.write { try Outbox.append($0, message("m5")) }
        // 70 messages: two full multi-row statements and a remainder; m5 exists already and
        // m40 appears twice in the same call.
        var batch = (0..<70).map { message("m\($0)") }
        batch.insert(message("m40"), at: 50)
        try store.write { try Outbox.appendAll($0, batch) }
        let ids = try store.read { try Outbox.all($0) }.map(\.eventId)
        #expect(ids == ["m5"] + (0..<70).filter { $0 != 5 }.map { "m\($0)" })
        let rows = try store.read { try Outbox.all($0) }
        #expect(rows.allSatisfy { $0.value == Data("v-\($0.eventId)".utf8) && $0.key == Data("k".utf8) })
    }

    @Test func outboxHandsOutPendingRowsInWriteOrderAndForgetsPublishedOnes() throws {
        try store.write { db in for id in ["a", "b", "c", "d"] { try Outbox.append(db, message(id)) } }
        let firstTwo = try store.read { try Outbox.pending($0, limit: 2) }
        #expect(firstTwo.map(\.eventId) == ["a", "b"])
        try store.write { try Outbox.markPublished($0, seqs: firstTwo[0].seq...firstTwo[1].seq, at: 10) }
        #expect(try store.read { try Outbox.pending($0, limit: 10) }.map(\.eventId) == ["c", "d"])
        #expect(try store.read { try Outbox.all($0) }.count == 4)
    }

    @Test func pruningRemovesOnlyOldPublishedRows() throws {
        try store.write { db in for id in ["a", "b", "c"] { try Outbox.append(db, message(id)) } }
        let rows = try store.read { try Outbox.pending($0, limit: 10) }
        try store.write { try Outbox.markPublished($0, seqs: rows[0].seq...rows[0].seq, at: 100) }
        try store.write { try Outbox.markPublished($0, seqs: rows[1].seq...rows[1].seq, at: 500) }
        let removed = try store.write { try Outbox.prune($0, publishedBefore: 200) }
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
                try Outbox.append(db, message("x"))
                try Offsets.store(db, TopicPartition(topic: "t", partition: 0), next: 42)
                throw Boom()
            }
        }
        #expect(try store.read(Outbox.pendingCount) == 0)
        #expect(try store.read(Offsets.load).isEmpty)
    }

    @Test func reopeningAnExistingFileKeepsItsRowsAndMigrations() throws {
        _ = try store.write { try Outbox.append($0, message("kept")) }
        let reopened = try EventStore(path: store.path)
        #expect(try reopened.read(Outbox.pendingCount) == 1)
        let mode = try reopened.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }
}
