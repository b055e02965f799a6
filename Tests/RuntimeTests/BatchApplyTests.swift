import Contract
import Foundation
import GRDB
import Kafka
import Logging
@testable import ServiceRuntime
import Store
import Testing

/// The batch transaction of DESIGN.md section 3, driven with consumer records directly (real
/// SQLite, no broker): inbox de-dup, outbox with derived ids, offsets, refusals, dead letters.
@Suite("Applying a batch")
struct BatchApplyTests {
    let loop: ServiceLoop
    let handler = RecordingHandler()
    let codec = EventCodec()
    var positions: [TopicPartition: Int64] = [TopicPartition(topic: "registry.commands", partition: 0): 0]

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runtime-\(UUID().uuidString).sqlite").path
        let store = try EventStore(path: path, migrations: handler.migrate)
        loop = ServiceLoop(handler: handler, store: store, options: RuntimeOptions(brokers: "127.0.0.1:1"),
                           logger: Logger(label: "test"))
    }

    func record<P: EventPayload>(_ envelope: Envelope<P>, offset: Int64) -> ConsumerRecord {
        ConsumerRecord(topic: "registry.commands", partition: 0, offset: offset, key: Data(envelope.data.partitionKey.utf8),
                       value: codec.encode(envelope), timestampMs: 1_700_000_000_000 + offset)
    }

    func raw(_ text: String, offset: Int64) -> ConsumerRecord {
        ConsumerRecord(topic: "registry.commands", partition: 0, offset: offset, key: nil, value: Data(text.utf8))
    }

    /// Applies one batch: entity A, then `entity` named `name` (which steers `RecordingHandler`),
    /// then entity B, at offsets 0, 1 and 2.
    mutating func applyBetweenAAndB(entity: String, name: String) throws {
        let envelopes = [profile("A"), profile(entity, name: name), profile("B")].map {
            Envelope(command: RegisterEntity($0), source: "test")
        }
        try loop.apply(envelopes.enumerated().map { record($1, offset: Int64($0)) }, positions: &positions)
    }

    func outbox(_ topic: String? = nil) throws -> [OutboxMessage] { try loop.store.read { try Outbox.all($0, topic: topic) } }
    func tally() throws -> Int { try loop.store.read { try Int.fetchOne($0, sql: "SELECT applied FROM tally") ?? -1 } }
    func seen() throws -> [String] { try loop.store.read { try String.fetchAll($0, sql: "SELECT entityId FROM seen ORDER BY entityId") } }

    @Test mutating func appliesEachRecordAndStoresTheNextOffset() throws {
        let a = Envelope(command: RegisterEntity(profile("A")), source: "test")
        let b = Envelope(command: RegisterEntity(profile("B")), source: "test")
        try loop.apply([record(a, offset: 0), record(b, offset: 1)], positions: &positions)
        #expect(try seen() == ["A", "B"])
        #expect(try outbox("registry.events").count == 2)
        #expect(try loop.store.read(Offsets.load)[TopicPartition(topic: "registry.commands", partition: 0)] == 2)
        #expect(positions[TopicPartition(topic: "registry.commands", partition: 0)] == 2)
    }

    @Test mutating func emittedEventsGetIdsDerivedFromTheInput() throws {
        let a = Envelope(command: RegisterEntity(profile("A", name: "twice")), source: "test", correlationId: "corr-1")
        try loop.apply([record(a, offset: 0)], positions: &positions)
        let rows = try outbox("registry.events")
        #expect(rows.map(\.eventId) == [DeterministicID.derived(from: a.id, index: 0, service: "recorder").uuidString.lowercased(),
                                        DeterministicID.derived(from: a.id, index: 1, service: "recorder").uuidString.lowercased()])
        #expect(DeterministicID.derived(from: a.id, index: 0, service: "registry")
                != DeterministicID.derived(from: a.id, index: 0, service: "settlement"))
        let decoded = try codec.decode(rows[0].value, catalogue: PayloadCatalogue([EntityRegistered.self]))
        #expect(decoded.header.causationId == a.id)
        #expect(decoded.header.correlationId == "corr-1")
        #expect(decoded.header.source == "recorder")
        #expect(decoded.header.occurredAt == Timestamp(millisecondsSinceEpoch: 1_700_000_000_000))
    }

    /// A loop of its own whose events may be at most 4 KB, so that "huge" records emit too much.
    static func loopPublishingAtMost4KB() throws -> (ServiceLoop, RecordingHandler, EventStore) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("small-\(UUID().uuidString).sqlite").path
        let handler = RecordingHandler()
        let store = try EventStore(path: path, migrations: handler.migrate)
        var options = RuntimeOptions(brokers: "127.0.0.1:1")
        options.maxEventBytes = 4_096
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return (ServiceLoop(handler: handler, store: store, options: options, logger: logger), handler, store)
    }

    /// An event above what the broker accepts would stop the publisher for good; the record
    /// that emits it is refused instead, and the rest of its batch goes through.
    @Test mutating func anInputWhoseEventIsTooLargeToPublishIsRefusedAndTheBatchGoesOn() throws {
        let (loop, handler, store) = try Self.loopPublishingAtMost4KB()
        let a = Envelope(command: RegisterEntity(profile("A")), source: "test")
        let huge = Envelope(command: RegisterEntity(profile("H", name: "huge")), source: "test")
        let b = Envelope(command: RegisterEntity(profile("B")), source: "test")
        try loop.apply([record(a, offset: 0), record(huge, offset: 1), record(b, offset: 2)], positions: &positions)

        let seen = try store.read { try String.fetchAll($0, sql: "SELECT entityId FROM seen ORDER BY entityId") }
        #expect(seen == ["A", "B"]) // the refused record's writes are undone, its neighbours' kept
        // And so is what its handler changed in memory before the runtime refused the record:
        // the batch up to it was applied a third time, the refused record no longer handed over.
        #expect(handler.remembered.sorted == ["A", "B"])
        #expect(loop.status.snapshot.carefulRetries == 1)
        let rows = try store.read { try Outbox.all($0) }
        #expect(rows.allSatisfy { $0.value.count <= 4_096 })
        #expect(rows.map(\.eventType) == ["EntityRegistered", "CommandRejected", "EntityRegistered"])
        let rejection = try codec.decode(rows[1].value, catalogue: PayloadCatalogue([CommandRejected.self]))
        let payload = try #require(rejection.payload(as: CommandRejected.self))
        #expect(payload.commandId == huge.id.uuidString.lowercased())
        #expect(payload.code == "output-too-large")
        #expect(payload.reason.contains("EntityRegistered"))
        #expect(try store.read(Offsets.load)[TopicPartition(topic: "registry.commands", partition: 0)] == 3)
        #expect(loop.status.snapshot.rejected == 1)
    }

    /// Many records refused after their handler ran, in one batch: each costs a restore and the
    /// batch about two careful passes, not a pass of the whole batch per refused record; every
    /// good record is applied once, and memory ends equal to SQLite.
    @Test mutating func manyRecordsRefusedAfterTheirHandlerRanCostARestoreEachNotAPassEach() throws {
        let (loop, handler, store) = try Self.loopPublishingAtMost4KB()
        let envelopes = (0..<100).map { index in
            Envelope(command: RegisterEntity(profile(String(format: "E%03d", index), name: index % 10 == 3 ? "huge" : "Plant")),
                     source: "test")
        }
        try loop.apply(envelopes.enumerated().map { record($1, offset: Int64($0)) }, positions: &positions)

        let good = (0..<100).filter { $0 % 10 != 3 }.map { String(format: "E%03d", $0) }
        #expect(try store.read { try String.fetchAll($0, sql: "SELECT entityId FROM seen ORDER BY entityId") } == good)
        #expect(handler.remembered.sorted == good)
        let rows = try store.read { try Outbox.all($0) }
        #expect(rows.filter { $0.eventType == "CommandRejected" }.count == 10)
        #expect(rows.filter { $0.eventType == "EntityRegistered" }.count == 90)
        #expect(try store.read(Offsets.load)[TopicPartition(topic: "registry.commands", partition: 0)] == 100)
        #expect(loop.status.snapshot.recordsIn == 100)
        #expect(loop.status.snapshot.rejected == 10)
        let calls = handler.calls.snapshot
        // One restore to leave the direct pass, one per refused record.
        #expect(calls.restored == 11)
        // The direct pass (100), then each slice twice up to its refused record, the last slice once.
        #expect(calls.handled <= 100 + 2 * 100)
    }

    @Test mutating func aRedeliveredEventIdHasNoSecondEffect() throws {
        let a = Envelope(command: RegisterEntity(profile("A")), source: "test")
        try loop.apply([record(a, offset: 0), record(a, offset: 1)], positions: &positions)
        #expect(try seen() == ["A"])
        #expect(try outbox().count == 1)
        #expect(loop.status.snapshot.duplicates == 1)
    }

    @Test func reprocessingABatchAfterACrashDerivesByteIdenticalEvents() throws {
        let a = Envelope(command: RegisterEntity(profile("A")), source: "test")
        let path1 = FileManager.default.temporaryDirectory.appendingPathComponent("r1-\(UUID().uuidString).sqlite").path
        let path2 = FileManager.default.temporaryDirectory.appendingPathComponent("r2-\(UUID().uuidString).sqlite").path
        var values: [Data] = []
        for path in [path1, path2] {
            let store = try EventStore(path: path, migrations: RecordingHandler().migrate)
            let loop = ServiceLoop(handler: RecordingHandler(), store: store, options: RuntimeOptions(brokers: "127.0.0.1:1"),
                                   logger: Logger(label: "test"))
            var positions = self.positions
            try loop.apply([record(a, offset: 0)], positions: &positions)
            values.append(contentsOf: try store.read { try Outbox.all($0) }.map(\.value))
        }
        #expect(values.count == 2)
        #expect(values[0] == values[1])
    }

    @Test mutating func aRefusalRollsBackTheRecordsWritesAndEmitsCommandRejected() throws {
        let refused = Envelope(command: RegisterEntity(profile("R", name: "refuse")), source: "test")
        let fine = Envelope(command: RegisterEntity(profile("F")), source: "test")
        try loop.apply([record(refused, offset: 0), record(fine, offset: 1)], positions: &positions)
        #expect(try seen() == ["F"])
        let rejections = try outbox("registry.events").compactMap {
            try codec.decode($0.value, catalogue: PayloadCatalogue([CommandRejected.self, EntityRegistered.self])).payload(as: CommandRejected.self)
        }
        #expect(rejections.count == 1)
        #expect(rejections.first?.commandId == refused.id.uuidString.lowercased())
        #expect(rejections.first?.code == "refused-for-test")
        #expect(rejections.first?.key == "R")
        // Its writes came before the refusal: the batch was applied a second time, carefully.
        #expect(loop.status.snapshot.carefulRetries == 1)
    }

    /// What a handler defers (rows that many records change) is written once, at the end of the
    /// batch, in its transaction.
    @Test mutating func deferredWritesAreWrittenOnceAtTheEndOfTheBatch() throws {
        let envelopes = ["A", "B", "C"].map { Envelope(command: RegisterEntity(profile($0)), source: "test") }
        try loop.apply(envelopes.enumerated().map { record($1, offset: Int64($0)) }, positions: &positions)
        #expect(try tally() == 3)
        #expect(handler.unsaved.withLock { $0.writes } == 1)
    }

    /// Applied record by record in savepoints, each record's deferred writes go with it: the
    /// refused record's are never written, its neighbours' are.
    @Test mutating func deferredWritesOfARefusedRecordAreUndoneWithIt() throws {
        try applyBetweenAAndB(entity: "R", name: "refuse")
        #expect(loop.status.snapshot.carefulRetries == 1)
        #expect(try tally() == 2)
        #expect(try seen() == ["A", "B"])
        #expect(handler.remembered.sorted == ["A", "B"])
    }

    /// Deferred writes that fail at the end of the batch (a constraint, not the storage) belong
    /// to no one record: the batch is applied again record by record, and only the record whose
    /// deferred write fails is refused, instead of the batch failing again and again.
    @Test mutating func aDeferredWriteThatFailsIsIsolatedToItsRecord() throws {
        try applyBetweenAAndB(entity: "U", name: "unwritable")
        // Record by record, then once more without handing the failing record over: its
        // handler ran, and only a restore undoes what it did in memory.
        #expect(loop.status.snapshot.carefulRetries == 1)
        #expect(try seen() == ["A", "B"])
        #expect(handler.remembered.sorted == ["A", "B"])
        #expect(try tally() == 2)
        #expect(try outbox("registry.commands.dlq").map { try JSONDecoder().decode(DeadLetter.self, from: $0.value).code }
                == ["handler-failed"])
        #expect(try loop.store.read(Offsets.load)[TopicPartition(topic: "registry.commands", partition: 0)] == 3)
    }

    /// Handlers validate before they write, so the usual refusal costs no savepoint and no
    /// second pass (`ApplyMode.direct`), and its neighbours' writes and events stay in order.
    @Test mutating func aRefusalBeforeAnyWriteIsRefusedInTheFirstPass() throws {
        try applyBetweenAAndB(entity: "D", name: "decline")
        #expect(try seen() == ["A", "B"])
        let rows = try outbox("registry.events")
        #expect(rows.map(\.eventType) == ["EntityRegistered", "CommandRejected", "EntityRegistered"])
        let rejection = try codec.decode(rows[1].value, catalogue: PayloadCatalogue([CommandRejected.self]))
        #expect(rejection.payload(as: CommandRejected.self)?.code == "declined-for-test")
        #expect(loop.status.snapshot.carefulRetries == nil)
        #expect(loop.status.snapshot.rejected == 1)
        #expect(try loop.store.read(Offsets.load)[TopicPartition(topic: "registry.commands", partition: 0)] == 3)
    }

    /// A refusal after writes, between accepted records: the second, careful pass undoes only
    /// the refused record's writes, and commits the same rows, events and offsets as a batch of
    /// the accepted records alone plus the rejection, each counted once.
    @Test mutating func aRefusalAfterWritesIsUndoneAloneAndCountedOnce() throws {
        let first = Envelope(command: RegisterEntity(profile("A")), source: "test")
        let refused = Envelope(command: RegisterEntity(profile("R", name: "refuse")), source: "test")
        let duplicate = first
        let last = Envelope(command: RegisterEntity(profile("B")), source: "test")
        try loop.apply([record(first, offset: 0), record(refused, offset: 1), record(duplicate, offset: 2),
                        record(last, offset: 3)], positions: &positions)
        #expect(try seen() == ["A", "B"])
        #expect(try outbox("registry.events").map(\.eventType) == ["EntityRegistered", "CommandRejected", "EntityRegistered"])
        let snapshot = loop.status.snapshot
        #expect(snapshot.carefulRetries == 1)
        #expect(snapshot.rejected == 1)
        #expect(snapshot.duplicates == 1)
        #expect(snapshot.recordsIn == 4)
        #expect(try loop.store.read { try Inbox.count($0) } == 3)
        #expect(try loop.store.read(Offsets.load)[TopicPartition(topic: "registry.commands", partition: 0)] == 4)
    }

    @Test mutating func malformedRecordsAreDeadLetteredWithTheirReasonAndTheBatchGoesOn() throws {
        let fine = Envelope(command: RegisterEntity(profile("F")), source: "test")
        try loop.apply([raw("{oops", offset: 0), raw(#"{"id":"0b7c4a52-9c1e-4c57-9a55-3f1b1d7d8e10","type":"Nope","version":1,"occurredAt":"2026-07-16T01:30:00.000Z","source":"x","data":{}}"#, offset: 1),
                        record(fine, offset: 2)], positions: &positions)
        let letters = try outbox("registry.commands.dlq").map { try JSONDecoder().decode(DeadLetter.self, from: $0.value) }
        #expect(letters.map(\.code) == ["malformed-json", "unknown-type"])
        #expect(letters.map(\.offset) == [0, 1])
        #expect(letters[0].value == "{oops")
        #expect(try seen() == ["F"])
        #expect(loop.status.snapshot.deadLettered == 2)
    }

    /// A hostile key (200 KB of control characters, six bytes each once escaped as JSON) would
    /// make the letter larger than the broker takes, and its batch could never commit: the letter
    /// keeps the key's first 1,024 bytes, in its `key` and as its own record key.
    @Test mutating func aHugeKeyIsCutInTheDeadLetterSoTheBatchCommits() throws {
        let key = Data(repeating: 0x01, count: 200_000)
        let hostile = ConsumerRecord(topic: "registry.commands", partition: 0, offset: 0, key: key, value: Data("{oops".utf8))
        let fine = Envelope(command: RegisterEntity(profile("F")), source: "test")
        try loop.apply([hostile, record(fine, offset: 1)], positions: &positions)
        let rows = try outbox("registry.commands.dlq")
        #expect(rows.count == 1)
        #expect(rows.first?.key == Data(repeating: 0x01, count: 1_024))
        let letter = try JSONDecoder().decode(DeadLetter.self, from: try #require(rows.first?.value))
        #expect(letter.keyTruncated == true)
        #expect(letter.key?.utf8.count == 1_024)
        #expect(letter.code == "malformed-json")
        #expect(try seen() == ["F"])
        #expect(try loop.store.read(Offsets.load)[TopicPartition(topic: "registry.commands", partition: 0)] == 2)
    }

    @Test mutating func anInvalidPayloadOfAKnownTypeIsDeadLetteredAndRejected() throws {
        var bad = profile("B")
        bad.units[0].capacityMW = -5
        let envelope = Envelope(command: RegisterEntity(bad), source: "test")
        try loop.apply([record(envelope, offset: 0)], positions: &positions)
        #expect(try outbox("registry.commands.dlq").count == 1)
        let rejected = try outbox("registry.events").first.map {
            try codec.decode($0.value, catalogue: PayloadCatalogue([CommandRejected.self])).payload(as: CommandRejected.self)
        }
        #expect(rejected??.reason.contains("capacityMW") == true)
        #expect(try seen().isEmpty)
    }

    /// A malformed record that carries the id of a command still to come is refused, but its
    /// refusal must not take the id of the real command's first event: the real command is then
    /// applied, and its event would have been dropped as a copy of the refusal (a state change
    /// with no event).
    @Test mutating func aMalformedCopyArrivingFirstDoesNotSwallowTheRealCommandsEvent() throws {
        let real = Envelope(command: RegisterEntity(profile("R")), source: "test")
        var bad = profile("R")
        bad.units[0].capacityMW = -5
        let copy = Envelope(command: RegisterEntity(bad), source: "test", id: real.id)
        try loop.apply([record(copy, offset: 0), record(real, offset: 1)], positions: &positions)
        #expect(try seen() == ["R"])
        let events = try outbox("registry.events").map { try codec.decode($0.value, catalogue: PayloadCatalogue([CommandRejected.self, EntityRegistered.self])) }
        #expect(events.map(\.type.rawValue).sorted() == ["CommandRejected", "EntityRegistered"])
        #expect(Set(events.map(\.id)).count == 2)
    }

    @Test mutating func aHandlerFailureDeadLettersOnlyThatRecord() throws {
        let buggy = Envelope(command: RegisterEntity(profile("X", name: "bug")), source: "test")
        let fine = Envelope(command: RegisterEntity(profile("F")), source: "test")
        try loop.apply([record(buggy, offset: 0), record(fine, offset: 1)], positions: &positions)
        #expect(try outbox("registry.commands.dlq").map { try JSONDecoder().decode(DeadLetter.self, from: $0.value).code } == ["handler-failed"])
        #expect(try seen() == ["F"])
        // The handler had moved its memory before it failed: restored, not left ahead.
        #expect(handler.remembered.sorted == ["F"])
        #expect(loop.status.snapshot.deadLettered == 1)
    }

    /// A batch large enough for the outbox to be encoded on several threads: rows keep the
    /// order in which they were emitted, refusals and dead letters included, with the same
    /// bytes as encoding each one on its own.
    @Test mutating func aLargeMixedBatchWritesItsOutboxInEmissionOrder() throws {
        var records: [ConsumerRecord] = []
        var expected: [(id: UUID, topic: String)] = []
        var duplicate: ConsumerRecord?
        for index in 0..<600 {
            let name = index % 97 == 0 ? "refuse" : index % 89 == 0 ? "bug" : index % 7 == 0 ? "twice" : "Plant"
            let envelope = Envelope(command: RegisterEntity(profile("E\(index)", name: name)), source: "test",
                                    correlationId: "c\(index)")
            if index == 10 { duplicate = record(envelope, offset: 0) }
            records.append(index % 101 == 0 ? raw("{broken \(index)", offset: Int64(index)) : record(envelope, offset: Int64(index)))
            if index % 101 == 0 {
                expected.append((UUID(), "registry.commands.dlq"))
                continue
            }
            switch name {
            case "refuse", "twice":
                expected.append((DeterministicID.derived(from: envelope.id, index: 0, service: "recorder"), "registry.events"))
                if name == "twice" {
                    expected.append((DeterministicID.derived(from: envelope.id, index: 1, service: "recorder"), "registry.events"))
                }
            case "bug":
                expected.append((UUID(), "registry.commands.dlq"))
            default:
                expected.append((DeterministicID.derived(from: envelope.id, index: 0, service: "recorder"), "registry.events"))
            }
        }
        if var copy = duplicate {
            copy.offset = 600
            records.append(copy)
        }
        try loop.apply(records, positions: &positions)
        let rows = try outbox()
        #expect(rows.map(\.topic) == expected.map(\.topic))
        for (row, want) in zip(rows, expected) where want.topic == "registry.events" {
            #expect(row.eventId == want.id.lowercasedString)
            let decoded = try codec.decode(row.value, catalogue: PayloadCatalogue([EntityRegistered.self, CommandRejected.self]))
            #expect(codec.encode(header: decoded.header, payload: decoded.payload) == row.value)
            #expect(row.value == codec.foundationEncode(header: decoded.header, payload: decoded.payload))
        }
        #expect(loop.status.snapshot.duplicates == 1)
        #expect(try loop.store.read(Offsets.load)[TopicPartition(topic: "registry.commands", partition: 0)] == 601)
    }

    @Test mutating func recordsBelowTheStoredPositionAreSkipped() throws {
        positions[TopicPartition(topic: "registry.commands", partition: 0)] = 5
        let old = Envelope(command: RegisterEntity(profile("OLD")), source: "test")
        try loop.apply([record(old, offset: 3)], positions: &positions)
        #expect(try seen().isEmpty)
    }

    /// Offsets missing from a fetch (seen on the local broker after a stall: one consumer's fetch
    /// skipped 243 records another consumer read in full) stop the partition at the gap: the
    /// records after it are not applied and the offset stays where the missing records start,
    /// so the loop fetches them again.
    @Test mutating func aFetchThatSkipsOffsetsStopsThePartitionAtTheGap() throws {
        let tp = TopicPartition(topic: "registry.commands", partition: 0)
        let other = TopicPartition(topic: "registry.commands", partition: 1)
        positions[other] = 0
        let (a, b, c, d) = (Envelope(command: RegisterEntity(profile("A")), source: "test"),
                            Envelope(command: RegisterEntity(profile("B")), source: "test"),
                            Envelope(command: RegisterEntity(profile("C")), source: "test"),
                            Envelope(command: RegisterEntity(profile("D")), source: "test"))
        var onOther = record(d, offset: 0)
        onOther.partition = 1
        var gaps = OffsetGaps()
        let held = try loop.apply([record(a, offset: 0), record(c, offset: 5), onOther], decoded: decode([a, c, d]),
                                  positions: &positions, gaps: &gaps)
        #expect(held == [OffsetGap(partition: tp, expected: 1, found: 5)])
        #expect(try seen() == ["A", "D"], "the record before the gap and the other partition are applied")
        #expect(positions[tp] == 1 && positions[other] == 1)
        #expect(try loop.store.read(Offsets.load)[tp] == 1)

        // The refetch delivers what was missing: everything applies, in order.
        let refetched = try loop.apply([record(b, offset: 1), record(c, offset: 2)], decoded: decode([b, c]),
                                       positions: &positions, gaps: &gaps)
        #expect(refetched.isEmpty)
        #expect(try seen() == ["A", "B", "C", "D"])
        #expect(positions[tp] == 3)
    }

    /// A gap that every refetch shows again is real (a truncated or compacted log): after
    /// `fetchesBeforeSkipping` fetches its offsets are skipped, logged and counted, so that a
    /// broker that lost records cannot wedge the service.
    @Test mutating func aGapThatEveryRefetchShowsIsSkippedAfterThreeFetches() throws {
        let tp = TopicPartition(topic: "registry.commands", partition: 0)
        let c = Envelope(command: RegisterEntity(profile("C")), source: "test")
        var gaps = OffsetGaps(fetchesBeforeSkipping: 3)
        for fetch in 1...2 {
            let held = try loop.apply([record(c, offset: 4)], decoded: decode([c]), positions: &positions, gaps: &gaps)
            #expect(held.count == 1, "fetch \(fetch) is held")
            #expect(try seen().isEmpty && positions[tp] == 0)
            #expect(try loop.store.read { try OffsetMoves.recent($0) }.isEmpty, "a held gap is no move")
        }
        let held = try loop.apply([record(c, offset: 4)], decoded: decode([c]), positions: &positions, gaps: &gaps)
        #expect(held.isEmpty)
        #expect(try seen() == ["C"])
        #expect(positions[tp] == 5)
        #expect(loop.metrics.exposition().contains("eco_offsets_skipped_total{service=\"recorder\"} 4"))
        // Kept where an operator's moves are (`ecoctl offsets show`, the next start's log).
        let moves = try loop.store.read { try OffsetMoves.recent($0) }
        #expect(moves.count == 1)
        #expect(moves.first.map { ($0.partition, $0.from, $0.to, $0.movedBy) } ?? (tp, nil, -1, "")
                    == (tp, 0, 4, "recorder (automatic)"))
        #expect(moves.first?.reason == "offsets 0-3 missing from the broker after 3 fetches in a row; skipped")
        #expect(try loop.store.read { try OffsetMoves.automaticSkips($0, service: "recorder") } == moves)
        #expect(try loop.store.read { try OffsetMoves.automaticSkips($0, service: "other") }.isEmpty)
    }

    /// A different gap, or records arriving in order in between, starts the count again.
    @Test func theSkipCountIsPerGapAndResetsWhenTheGapCloses() {
        let tp = TopicPartition(topic: "t", partition: 0)
        var gaps = OffsetGaps(fetchesBeforeSkipping: 2)
        var answers: [Bool] = []
        answers.append(gaps.accepts(OffsetGap(partition: tp, expected: 1, found: 5)))
        answers.append(gaps.accepts(OffsetGap(partition: tp, expected: 1, found: 6)))  // another gap: counted afresh
        gaps.closed(tp)
        answers.append(gaps.accepts(OffsetGap(partition: tp, expected: 1, found: 6)))  // closed: counted afresh
        answers.append(gaps.accepts(OffsetGap(partition: tp, expected: 1, found: 6)))  // the second fetch of it
        answers.append(gaps.accepts(OffsetGap(partition: TopicPartition(topic: "t", partition: 1), expected: 1, found: 6)))
        #expect(answers == [false, false, false, true, false])
    }

    func decode<P: EventPayload>(_ envelopes: [Envelope<P>]) -> [Result<IncomingEnvelope, DecodeFailure>] {
        envelopes.map { envelope in
            do throws(DecodeFailure) {
                return .success(try loop.decoder.decode(codec.encode(envelope)))
            } catch {
                return .failure(error)
            }
        }
    }
}
