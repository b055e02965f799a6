import Foundation
import GRDB
@testable import Store
import Testing

@Suite("Write-ahead log checkpoints")
struct WALCheckpointerTests {
    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    }

    /// 600 commits of 4 pages each: with the hook the pages reach the database file and the log
    /// is started over instead of growing to hold all 2,400 pages.
    @Test func theLogIsCopiedBackAndStaysBoundedUnderContinuousWrites() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wal-\(UUID().uuidString).sqlite").path
        let checkpointer = WALCheckpointer(path: path, backgroundFrames: 20, restartFrames: 200)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5) // as EventStore's: an inline checkpoint waits for the background one
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL")
            try db.execute(sql: "PRAGMA synchronous=NORMAL")
            checkpointer.install(on: db)
        }
        let database = try DatabaseQueue(path: path, configuration: configuration)
        try database.write { try $0.execute(sql: "CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)") }
        var largestLog = 0
        for _ in 0..<600 {
            try database.write { db in
                try db.execute(sql: "INSERT INTO blobs (body) VALUES (zeroblob(15000))")
            }
            largestLog = max(largestLog, Self.fileSize(path + "-wal"))
        }
        // 200 pages before the inline checkpoint, plus one commit and the background's lag.
        #expect(largestLog < 400 * 4096)
        #expect(Self.fileSize(path) > 300 * 4096)
        let rows = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM blobs") }
        #expect(rows == 600)
    }

    @Test func anEventStoreReplacesTheAutomaticCheckpointAndKeepsItsData() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wal-\(UUID().uuidString).sqlite").path
        let store = try EventStore(path: path)
        let value = Data(repeating: 7, count: 20_000)
        for batch in 0..<200 {
            try store.write { db in
                try store.outbox.appendAll(db, (0..<5).map { index in
                    OutboxMessage(eventId: "e\(batch)-\(index)", topic: "t", key: nil, value: value, eventType: "T",
                                  version: 1, createdAt: 1)
                })
            }
        }
        // 20 MB went through the log; SQLite's own checkpoint would have copied it back in the
        // writer's commits, this one does it in the background. Either way it reaches the file.
        let deadline = ContinuousClock.now + .seconds(20)
        while Self.fileSize(path) <= 10 << 20, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(Self.fileSize(path) > 10 << 20)
        let reopened = try EventStore(path: path)
        #expect(try reopened.read { try Outbox.all($0) }.count == 1_000)
    }
}
