import Foundation
import GRDB
@testable import Store
import Testing

/// The publisher takes what the loop committed from memory; these pin down when memory may
/// answer and when it must send the publisher to the table.
@Suite("Committed outbox hand-over")
struct CommittedOutboxTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("handover-\(UUID().uuidString).sqlite").path
    }

    func message(_ id: String, value: Data? = nil) -> OutboxMessage {
        OutboxMessage(eventId: id, topic: "t", key: nil, value: value ?? Data("v-\(id)".utf8), eventType: "T", version: 1, createdAt: 1)
    }

    @Test func committedMessagesAreHandedOverAsTheTableHoldsThem() throws {
        let store = try EventStore(path: Self.temporaryPath())
        try store.write { db in for id in ["a", "b"] { try store.outbox.append(db, message(id)) } }
        try store.write { try store.outbox.appendAll($0, [message("c"), message("a")]) }
        let table = try store.read { try Outbox.all($0) }
        #expect(table.map(\.eventId) == ["a", "b", "c"])
        #expect(store.outbox.committedMessages(after: 0, limit: 10) == table)
        #expect(store.outbox.committedMessages(after: table[0].seq, limit: 1) == [table[1]])
        #expect(store.outbox.committedMessages(after: table[2].seq, limit: 10) == [])
        #expect(store.outbox.lastCommittedSeq == table[2].seq)
    }

    @Test func rolledBackMessagesAreNeverHandedOver() throws {
        struct Boom: Error {}
        let store = try EventStore(path: Self.temporaryPath())
        #expect(throws: Boom.self) {
            try store.write { db in
                try store.outbox.append(db, message("lost"))
                throw Boom()
            }
        }
        #expect(store.outbox.committedMessages(after: 0, limit: 10) == [])
        #expect(store.outbox.lastCommittedSeq == 0)
        _ = try store.write { try store.outbox.append($0, message("kept")) }
        let handed = store.outbox.committedMessages(after: 0, limit: 10)
        #expect(handed?.map(\.eventId) == ["kept"])
        #expect(handed == (try store.read { try Outbox.all($0) }))
    }

    @Test func aBacklogFromBeforeARestartIsReadFromTheTable() throws {
        let path = Self.temporaryPath()
        let before = try EventStore(path: path)
        try before.write { db in for id in ["a", "b"] { try before.outbox.append(db, message(id)) } }
        let after = try EventStore(path: path)
        #expect(after.outbox.lastCommittedSeq == 2)
        #expect(after.outbox.committedMessages(after: 0, limit: 10) == nil)
        _ = try after.write { try after.outbox.append($0, message("c")) }
        // Memory holds only "c": from 0 the publisher must read the table; once past "b", not.
        #expect(after.outbox.committedMessages(after: 0, limit: 10) == nil)
        #expect(after.outbox.committedMessages(after: 2, limit: 10)?.map(\.eventId) == ["c"])
        #expect(try after.read { try Outbox.pending($0, after: 0, limit: 10) }.map(\.eventId) == ["a", "b", "c"])
    }

    @Test func theSequenceNeverGoesBackAfterEverythingIsPrunedAndTheStoreReopens() throws {
        let path = Self.temporaryPath()
        let store = try EventStore(path: path)
        try store.write { db in for id in ["a", "b"] { try store.outbox.append(db, message(id)) } }
        try store.write { try store.outbox.markPublished($0, through: 2, at: 10) }
        #expect(try store.write { try store.outbox.prune($0, publishedBefore: 1_000) } == 2)
        let reopened = try EventStore(path: path)
        _ = try reopened.write { try reopened.outbox.append($0, message("c")) }
        #expect(try reopened.read { try Outbox.all($0) }.map(\.seq) == [3])
        #expect(try reopened.read { try Outbox.pending($0, limit: 10) }.map(\.eventId) == ["c"])
    }

    @Test func aQueueOverLimitDropsItsOldestAndThePublisherReadsOnlyThoseFromTheTable() {
        let queue = CommittedOutbox(lastSeq: 0, limitMessages: 3)
        func commit(_ ids: [String]) {
            for id in ids { _ = queue.stage(message(id)) }
            queue.settle(committed: true)
        }
        commit(["a", "b"])
        commit(["c", "d"]) // four would be over the limit: only "a" is left to the table
        #expect(queue.take(after: 0, limit: 10) == nil)
        #expect(queue.take(after: 1, limit: 10)?.map(\.eventId) == ["b", "c", "d"])
        #expect(queue.take(after: 2, limit: 10)?.map(\.seq) == [3, 4])
        #expect(queue.take(after: 4, limit: 10) == [])
        commit(["e"])
        #expect(queue.take(after: 4, limit: 10)?.map(\.eventId) == ["e"])
    }

    /// The bound holds for bytes as well as messages: a few large events drop older ones.
    @Test func theByteLimitDropsTheOldestToo() {
        let queue = CommittedOutbox(lastSeq: 0, limitMessages: 100, limitBytes: 250)
        for id in ["a", "b", "c"] {
            _ = queue.stage(message(id, value: Data(repeating: 0x41, count: 100)))
        }
        queue.settle(committed: true)
        #expect(queue.take(after: 0, limit: 10) == nil)
        #expect(queue.take(after: 1, limit: 10)?.map(\.eventId) == ["b", "c"])
    }
}
