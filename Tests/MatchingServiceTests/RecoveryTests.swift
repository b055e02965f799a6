import Contract
import Foundation
import GRDB
@testable import MatchingService
@testable import ServiceRuntime
import Store
import Testing

/// The engine lives in memory; SQLite holds its journal and snapshots. A restart rebuilds it
/// from the latest snapshot plus the journal's tail, and the same inputs give byte-identical
/// events.
@Suite("Journal, snapshots and recovery")
struct RecoveryTests {
    static let steps = TradingDayScript.steps(orders: 400)

    @Test func aRestartFromSnapshotAndJournalEqualsTheUninterruptedRun() throws {
        let configuration = MatchingConfiguration(snapshotEvery: 64, snapshotBytesPerInput: .max, backgroundSnapshots: false)
        let whole = try MatchingHarness(configuration: configuration)
        try whole.apply(whole.records(Self.steps), batch: 25)

        let interrupted = try MatchingHarness(configuration: configuration)
        let records = interrupted.records(Self.steps)
        let cut = records.count * 3 / 5
        try interrupted.apply(Array(records[..<cut]), batch: 25)
        try interrupted.restart()
        #expect(interrupted.handler.host.position.snapshotSeq > 0, "restored from a snapshot")
        #expect(try interrupted.count("SELECT MIN(seq) FROM journal") > 1, "and a pruned journal's tail")
        try interrupted.apply(Array(records[cut...]), batch: 25)

        #expect(interrupted.state == whole.state)
        #expect(try interrupted.outbox().map(\.value) == whole.outbox().map(\.value))
        #expect(try whole.payloads(TradeExecuted.self).count > 50, "the script trades")
    }

    @Test func snapshotsEncodedInTheBackgroundRestoreTheSameState() throws {
        let configuration = MatchingConfiguration(snapshotEvery: 50, snapshotBytesPerInput: .max)
        let whole = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: 0))
        try whole.apply(whole.records(Self.steps), batch: 25)

        let h = try MatchingHarness(configuration: configuration)
        let records = h.records(Self.steps)
        for start in stride(from: 0, to: records.count, by: 25) {
            try h.apply(Array(records[start..<min(records.count, start + 25)]))
            h.handler.host.snapshots.settle()  // let each encoding finish, so the next batch writes it
            if start == 400 { try h.restart() }
        }
        #expect(try h.count("SELECT COUNT(*) FROM snapshots") == 2)
        #expect(h.handler.host.position.snapshotSeq > 400)
        try h.restart()
        #expect(h.state == whole.state)
        #expect(try h.outbox().map(\.value) == whole.outbox().map(\.value))
    }

    @Test func aSnapshotCopiedBeforeARollbackIsNeverWritten() throws {
        let encoder = SnapshotEncoder(background: true)
        try encoder.start(MatchingState(), seq: 10)
        encoder.invalidate()  // restore() after a rolled-back batch, whether the encoding finished or not
        encoder.settle()
        #expect(encoder.ready == nil)
        #expect(!encoder.pending)
        try encoder.start(MatchingState(), seq: 12)
        encoder.settle()
        #expect(encoder.ready?.seq == 12)
        encoder.written(seq: 12)
        #expect(encoder.ready == nil)
    }

    @Test func eachSnapshotIsWrittenIntoTheBufferOfTheLastOneStored() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: 0))
        try h.apply(h.records(Self.steps), batch: 50)
        let encoder = SnapshotEncoder(background: true)
        var storage: [UnsafeRawPointer?] = []
        for seq in Int64(1)...4 {
            try encoder.start(h.state, seq: seq)
            encoder.settle()
            let ready = try #require(encoder.ready)
            #expect(try MatchingState.readSnapshot(ready.bytes) == h.state)
            storage.append(ready.bytes.withUnsafeBytes { UnsafeRawPointer($0.baseAddress) })
            encoder.written(seq: seq)
        }
        // The first reuse may grow the buffer by an eighth; from then on it stays where it is.
        #expect(storage[2] == storage[1] && storage[3] == storage[1])
    }

    /// Stores written before the binary layout hold JSON snapshots: those still restore, and
    /// damaged binary is refused (so recovery falls back to the older snapshot or the journal).
    @Test func binaryAndEarlierJSONSnapshotsAreReadAndDamageIsRefused() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: 0))
        try h.apply(h.records(Self.steps), batch: 50)
        var binary: [UInt8] = []
        try h.state.writeSnapshot(into: &binary)
        #expect(binary.starts(with: Array("EMS".utf8)))
        #expect(try MatchingState.readSnapshot(binary) == h.state)
        #expect(try MatchingState.readSnapshot(Array(try JSONEncoder().encode(h.state))) == h.state)
        var damaged = binary
        damaged[damaged.count / 2] ^= 0x01
        #expect(throws: (any Error).self) { try MatchingState.readSnapshot(damaged) }
        #expect(throws: (any Error).self) { try MatchingState.readSnapshot(Array(binary.dropLast())) }
        #expect(throws: (any Error).self) { try MatchingState.readSnapshot([]) }
    }

    @Test func theSameRecordsGiveByteIdenticalEvents() throws {
        var runs: [[OutboxMessage]] = []
        for snapshotEvery in [0, 10] {
            let h = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: snapshotEvery, publishDepth: true))
            try h.apply(h.records(Self.steps), batch: 7)
            runs.append(try h.outbox())
        }
        #expect(runs[0].count > 400)
        #expect(runs[0].map(\.eventId) == runs[1].map(\.eventId))
        #expect(runs[0].map(\.value) == runs[1].map(\.value))
    }

    @Test func aBatchRolledBackAfterTheEngineMovedIsUndoneByRestore() throws {
        let whole = try MatchingHarness()
        try whole.apply(whole.records(Self.steps), batch: 50)

        let h = try MatchingHarness()
        let records = h.records(Self.steps)
        try h.apply(Array(records[..<100]), batch: 50)
        let committed = h.state
        // The engine applies a batch, then its transaction fails (a crash before commit).
        struct Crash: Error {}
        #expect(throws: Crash.self) {
            try h.loop.store.write { db in
                for record in records[100..<150] {
                    let envelope = try h.codec.decode(record.value, catalogue: h.handler.catalogue)
                    var context = HandlerContext(db: db, input: envelope.header, topic: Topic(record.topic), partition: 0,
                                                 offset: record.offset, now: Timestamp(millisecondsSinceEpoch: record.timestampMs ?? 0))
                    try h.handler.handle(envelope, context: &context)
                }
                throw Crash()
            }
        }
        #expect(h.state != committed, "memory ran ahead of SQLite")
        try h.handler.restore(from: EventStoreReader(h.loop.store))
        #expect(h.state == committed)
        try h.apply(Array(records[100...]), batch: 50)
        #expect(h.state == whole.state)
        #expect(try h.outbox().map(\.value) == whole.outbox().map(\.value))
    }

    @Test func snapshotsComeEveryNInputsAndTheJournalIsPrunedBehindTheOlderOfTwo() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: 10, snapshotBytesPerInput: .max, backgroundSnapshots: false))
        try h.apply(Array(h.records(Self.steps).prefix(35)), batch: 4)
        let last = try h.count("SELECT MAX(seq) FROM journal")
        let snapshots = try h.loop.store.read { try Int64.fetchAll($0, sql: "SELECT seq FROM snapshots ORDER BY seq") }
        #expect(snapshots.count == 2)
        #expect(snapshots.allSatisfy { $0 % 10 == 0 })
        #expect(Int(snapshots[1]) >= last - 10)
        #expect(try h.count("SELECT MIN(seq) FROM journal") == Int(snapshots[0]) + 1)
    }

    @Test func aLargerStateIsSnapshottedMoreRarely() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: 10, snapshotBytesPerInput: 100, backgroundSnapshots: false, keepJournal: true))
        try h.apply(h.records(Self.steps), batch: 10)
        let rows = try h.loop.store.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, bytes FROM snapshots ORDER BY seq").map { (seq: $0["seq"] as Int64, bytes: $0["bytes"] as Int64) }
        }
        #expect(rows.count == 2)
        #expect(rows[1].seq - rows[0].seq >= max(10, rows[0].bytes / 100), "the gap grows with the state")
        #expect(rows[1].seq - rows[0].seq > 10)
    }

    @Test func keepJournalKeepsEveryInputFromTheFirst() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: 10, snapshotBytesPerInput: .max, backgroundSnapshots: false, keepJournal: true))
        try h.apply(Array(h.records(Self.steps).prefix(35)), batch: 4)
        #expect(try h.count("SELECT MIN(seq) FROM journal") == 1)
        #expect(try h.count("SELECT COUNT(*) FROM journal") == h.count("SELECT MAX(seq) FROM journal"))
    }

    /// The newest snapshot replaced by JSON that is no state (`{}`), or with one byte in the
    /// middle changed (the layout may still parse; the checksum does not match): recovery falls
    /// back to the older snapshot and rebuilds the same state.
    @Test(arguments: [
        "X'7B7D'",
        "substr(state, 1, length(state) / 2) || X'FF' || substr(state, length(state) / 2 + 2)",
    ])
    func aSnapshotThatDoesNotReadFallsBackToTheOlderOne(damaged: String) throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: 10, snapshotBytesPerInput: .max,
                                                                         backgroundSnapshots: false))
        try h.apply(Array(h.records(Self.steps).prefix(60)), batch: 5)
        let before = h.state
        let newest = Int64(try h.count("SELECT MAX(seq) FROM snapshots"))
        try h.loop.store.write { db in
            try db.execute(sql: "UPDATE snapshots SET state = \(damaged) WHERE seq = ?", arguments: [newest])
        }
        try h.restart()
        #expect(h.state == before)
        let used = h.handler.host.position.snapshotSeq
        #expect(used > 0 && used < newest, "restored from the older snapshot (\(used)), not the damaged one (\(newest))")
    }

    /// A store an earlier version wrote holds a JSON snapshot: the service restarts from it, and
    /// its next snapshot (binary) comes `snapshotEvery` inputs later, not five times as many
    /// (the JSON's size would have put it there).
    @Test func anEarlierVersionsJSONSnapshotRestoresAndIsSoonReplacedByABinaryOne() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: 10, backgroundSnapshots: false))
        let records = h.records(Self.steps)
        try h.apply(Array(records.prefix(60)), batch: 5)
        let before = h.state
        let last = Int64(try h.count("SELECT MAX(seq) FROM journal"))
        try h.loop.store.write { db in
            try MatchingJournal.storeSnapshot(db, seq: last, state: Array(try JSONEncoder().encode(before)), at: 0, keepJournal: false)
        }
        try h.restart()
        #expect(h.state == before)
        try h.apply(Array(records[60..<80]), batch: 5)
        let newest = try h.loop.store.read { db in
            try Row.fetchOne(db, sql: "SELECT seq, state FROM snapshots ORDER BY seq DESC LIMIT 1")
        }
        let seq: Int64? = newest?["seq"]
        let bytes: Data? = newest?["state"]
        #expect((seq ?? 0) > last)
        #expect(bytes.map { [UInt8]($0).starts(with: MatchingState.snapshotMark) } == true)
    }

    @Test func withoutSnapshotsTheWholeJournalReplays() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: 0, backgroundSnapshots: false))
        try h.apply(Array(h.records(Self.steps).prefix(80)), batch: 9)
        let before = h.state
        try h.restart()
        #expect(try h.count("SELECT COUNT(*) FROM snapshots") == 0)
        #expect(h.state == before)
        #expect(h.handler.host.position.lastSeq == Int64(try h.count("SELECT COUNT(*) FROM journal")))
    }

    @Test func aJournalWithAGapThatNoSnapshotCoversRefusesToRestore() throws {
        let h = try MatchingHarness(configuration: MatchingConfiguration(snapshotEvery: 0, backgroundSnapshots: false))
        try h.apply(Array(h.records(Self.steps).prefix(20)), batch: 5)
        try h.loop.store.write { try $0.execute(sql: "DELETE FROM journal WHERE seq = 5") }
        #expect(throws: RecoveryError.self) { try h.restart() }
    }
}
