import Foundation
import GRDB
@testable import Store
import Testing

/// The audit of operators' offset moves (`ecoctl offsets set`) in a service's store.
@Suite("Offset moves")
struct OffsetMovesTests {
    func store() throws -> EventStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("moves-\(UUID().uuidString).sqlite").path
        return try EventStore(path: path, migrations: { _ in })
    }

    @Test func aStoreHasTheTableAndNoMovesAtFirst() throws {
        let store = try store()
        #expect(try store.read { try $0.tableExists("offset_moves") })
        #expect(try store.read { try OffsetMoves.recent($0) }.isEmpty)
    }

    @Test func movesReadBackNewestFirstWithWhoAndWhy() throws {
        let store = try store()
        let first = OffsetMoves.Move(movedAt: 1_000, partition: TopicPartition(topic: "market.orders", partition: 2), from: nil,
                                     to: 7, movedBy: "ops@host", reason: nil)
        let second = OffsetMoves.Move(movedAt: 2_000, partition: TopicPartition(topic: "market.orders", partition: 2), from: 7,
                                      to: 0, movedBy: "ops@host", reason: "broker lost its logs")
        try store.write { db in
            try OffsetMoves.record(db, first)
            try OffsetMoves.record(db, second)
        }
        #expect(try store.read { try OffsetMoves.recent($0) } == [second, first])
        #expect(try store.read { try OffsetMoves.recent($0, limit: 1) } == [second])
    }

    /// `ecoctl` creates the table in a store a service of an earlier version wrote last; doing so
    /// again, or on a store that has it, changes nothing.
    @Test func creatingTheTableAgainKeepsItsRows() throws {
        let store = try store()
        let move = OffsetMoves.Move(movedAt: 5, partition: TopicPartition(topic: "t", partition: 0), from: 1, to: 2,
                                    movedBy: "a@b", reason: "r")
        try store.write { db in
            try OffsetMoves.record(db, move)
            try OffsetMoves.createTable(db)
        }
        #expect(try store.read { try OffsetMoves.recent($0) } == [move])
        let bare = try DatabaseQueue()
        #expect(try bare.read { try OffsetMoves.recent($0) }.isEmpty, "no table: no moves, no error")
    }
}
