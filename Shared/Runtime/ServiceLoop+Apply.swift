import Contract
import Foundation
import GRDB
import Kafka
import Store

extension ServiceLoop {
    /// Applies one polled batch, usually in a single transaction, and stores the next offsets
    /// with it.
    /// Returns the partitions whose records stopped at a gap (`OffsetGaps`): fetch them again
    /// from `positions`.
    @discardableResult
    func apply(_ records: [ConsumerRecord], positions: inout [TopicPartition: Int64]) throws -> [OffsetGap] {
        var gaps = OffsetGaps()
        return try apply(records, decoded: Self.decodeAll(records, decoder), positions: &positions, gaps: &gaps)
    }

    /// `apply` of records decoded beforehand (`decoded[i]` is `records[i]`), with the gaps seen
    /// in earlier fetches. Usually one transaction; a record refused after its handler ran
    /// (`CarefulRetry.refusedAfterHandling`) ends a transaction there, and the records after it
    /// go on in the next (`applySlice`).
    func apply(_ records: [ConsumerRecord], decoded: [Result<IncomingEnvelope, DecodeFailure>],
               positions: inout [TopicPartition: Int64], gaps: inout OffsetGaps) throws -> [OffsetGap] {
        var start = records.startIndex
        var held: [OffsetGap] = []
        var mode = ApplyMode.direct
        while start < records.endIndex {
            let (sliceHeld, end) = try applySlice(records, decoded, from: start, mode: mode, positions: &positions,
                                                   gaps: &gaps, held: Set(held.map(\.partition)))
            held += sliceHeld
            start = end
            // The rest of a batch that needed this goes on record by record: a direct pass would
            // hand every remaining record to the handler again before it found the next one.
            mode = .careful
        }
        return held
    }

    /// Applies `records[start...]` in one transaction, or, when a record there is refused after
    /// its handler ran, `records[start...thatRecord]`. Returns the partitions held at a gap and
    /// where the next slice starts (`records.endIndex` when the batch is done).
    ///
    /// The first pass of a batch applies records straight (`ApplyMode.direct`). Rare: a handler emitted an
    /// event the broker would refuse, or refused a record after it had written, or failed
    /// otherwise than by a refusal. The transaction rolls back and the slice is applied again
    /// with each record in its own savepoint and its events encoded and checked there
    /// (`ApplyMode.careful`), so that only that record is refused and only its writes are undone.
    /// A record refused there after its handler ran may have moved the handler's memory, which a
    /// savepoint does not undo: the transaction rolls back once more, the handler is restored
    /// from SQLite, and the slice up to that record is applied again with the record refused
    /// without being handed over, and committed. The records after it start a new slice, applied
    /// carefully from the start, so a batch with many such records costs two careful passes over
    /// its records and a restore per such record, not a pass of the whole batch per such record.
    private func applySlice(_ records: [ConsumerRecord], _ decoded: [Result<IncomingEnvelope, DecodeFailure>], from start: Int,
                            mode startMode: ApplyMode, positions: inout [TopicPartition: Int64], gaps: inout OffsetGaps,
                            held heldBefore: Set<TopicPartition>) throws -> (held: [OffsetGap], end: Int) {
        let started = ContinuousClock.now
        var next = positions
        var counts = BatchCounts()
        let gapsBefore = gaps
        var mode = startMode
        var end = records.endIndex
        // The record (the last of the slice) to refuse without its handler on the next pass.
        var refused: (index: Int, error: any Error)?
        do {
            while true {
                do {
                    try applyInTransaction(records, decoded, range: start..<end, positions: positions, next: &next,
                                           counts: &counts, gaps: &gaps, mode: mode, refused: refused, held: heldBefore)
                    break
                } catch let retry as CarefulRetry {
                    switch retry {
                    case .refusedAfterHandling(let index, let error):
                        guard mode == .careful, index != refused?.index, index < end else { throw retry }
                        logger.notice("a record was refused after its handler ran; restoring the handler and applying the batch up to it again without handing it over",
                                      metadata: ["offset": "\(records[index].offset)", "error": "\(error)"])
                        refused = (index, error)
                        end = index + 1
                    case _ where mode == .careful:
                        // Careful mode encodes and checks every event where it is emitted: another
                        // retry would go the same way. The batch fails (and is retried with backoff).
                        throw retry
                    case .oversize(let oversize):
                        logger.error("an emitted event is too large to publish; applying the batch again record by record",
                                     metadata: ["type": "\(oversize.eventType)", "bytes": "\(oversize.bytes)"])
                    case .refusedAfterWriting(let type):
                        logger.notice("a record was refused after its handler had written, or its handler failed; applying the batch again record by record",
                                      metadata: ["type": "\(type)"])
                    case .deferredWriteFailed(let reason):
                        logger.error("the handler's deferred writes failed; applying the batch again record by record",
                                     metadata: ["error": "\(reason)"])
                    }
                    if mode == .direct {
                        metrics.carefulRetries.increment()
                        status.update { $0.carefulRetries = ($0.carefulRetries ?? 0) + 1 }
                    }
                    guard restoreHandler() else { throw retry }
                    next = positions
                    counts = BatchCounts()
                    gaps = gapsBefore
                    mode = .careful
                }
            }
        } catch {
            gaps = gapsBefore
            throw error
        }
        positions = next
        let applied = Int64(end - start)
        metrics.recordsIn.increment(by: applied)
        metrics.deadLettered.increment(by: counts.deadLettered)
        metrics.duplicates.increment(by: counts.duplicates)
        metrics.ignored.increment(by: counts.ignored)
        metrics.rejected.increment(by: counts.rejected)
        metrics.batchLatency.record(ContinuousClock.now - started)
        status.update {
            $0.recordsIn += applied
            $0.deadLettered += counts.deadLettered
            $0.duplicates += counts.duplicates
            if counts.ignored > 0 { $0.ignored = ($0.ignored ?? 0) + counts.ignored }
            $0.rejected += counts.rejected
        }
        for gap in counts.skipped {
            logger.error("offsets missing from the broker after repeated fetches; skipping them",
                         metadata: ["topic": "\(gap.partition.topic)", "partition": "\(gap.partition.partition)",
                                    "from": "\(gap.expected)", "to": "\(gap.found - 1)"])
            metrics.offsetsSkipped.increment(by: gap.found - gap.expected)
            status.update { $0.offsetsSkipped = ($0.offsetsSkipped ?? 0) + gap.found - gap.expected }
        }
        return (counts.held, end)
    }

    /// The batch's single transaction: every record, then the outbox, then the offsets.
    /// `held` names partitions an earlier slice of the batch stopped at a gap: their records wait
    /// for the refetch.
    private func applyInTransaction(_ records: [ConsumerRecord], _ decoded: [Result<IncomingEnvelope, DecodeFailure>],
                                    range: Range<Int>, positions: [TopicPartition: Int64], next: inout [TopicPartition: Int64],
                                    counts: inout BatchCounts, gaps: inout OffsetGaps, mode: ApplyMode,
                                    refused: (index: Int, error: any Error)?, held heldBefore: Set<TopicPartition>) throws {
        // What the publisher had acknowledged is recorded with the batch (`OutboxPublisher`).
        let mark = publisher.pendingMark()
        try store.write { db in
            var outbox: [PendingOutboxRow] = []
            var held = heldBefore
            for index in range {
                let record = records[index], envelope = decoded[index]
                let tp = TopicPartition(topic: record.topic, partition: record.partition)
                if let expected = next[tp] {
                    // After a rewind librdkafka may still hand over records we already hold; skip them.
                    if record.offset < expected { continue }
                    if !held.isEmpty, held.contains(tp) { continue }
                    if record.offset > expected {
                        // Records missing in between: stop this partition here and fetch it again.
                        let gap = OffsetGap(partition: tp, expected: expected, found: record.offset)
                        guard gaps.accepts(gap) else {
                            held.insert(tp)
                            counts.held.append(gap)
                            continue
                        }
                        counts.skipped.append(gap)
                    } else {
                        gaps.closed(tp)
                    }
                }
                try applyOne(record, decoded: envelope, index: index, db: db, outbox: &outbox, counts: &counts, mode: mode,
                             refusal: refused?.index == index ? refused?.error : nil)
                next[tp] = record.offset + 1
            }
            do {
                try handler.writeDeferred(db)
            } catch let error as DatabaseError where error.isStorageFault {
                throw error
            } catch where mode == .direct {
                // Not a record's own failure, so no record to refuse: applied record by record,
                // each record's deferred writes run in its savepoint and only the one that
                // cannot be written is refused, instead of the batch failing for ever.
                throw CarefulRetry.deferredWriteFailed("\(error)")
            }
            try writeOutbox(outbox, db: db)
            for (tp, offset) in next where positions[tp] != offset {
                try Offsets.store(db, tp, next: offset)
            }
            try recordSkips(counts.skipped, after: gaps.fetchesBeforeSkipping, db: db)
            if let mark {
                try store.outbox.markPublished(db, through: mark, at: Timestamp.now().millisecondsSinceEpoch)
            }
        }
        if let mark { publisher.markWritten(mark) }
    }

    /// Keeps each gap the loop gave up on in `offset_moves`, beside the operators' moves and in
    /// the transaction that stores the offset past it: skipped records are a move of the stored
    /// offset that nobody typed, and `ecoctl offsets show` and the next start's log should say so.
    private func recordSkips(_ skipped: [OffsetGap], after fetches: Int, db: Database) throws {
        guard !skipped.isEmpty else { return }
        let now = Timestamp.now().millisecondsSinceEpoch
        for gap in skipped {
            let reason = """
                offsets \(gap.expected)-\(gap.found - 1) missing from the broker after \(fetches) \
                fetches in a row; skipped
                """
            try OffsetMoves.record(db, OffsetMoves.Move(movedAt: now, partition: gap.partition, from: gap.expected,
                                                        to: gap.found, movedBy: OffsetMoves.automatic(handler.serviceName),
                                                        reason: reason))
        }
    }

    /// Decodes a batch before its transaction opens. Decoding is a pure function of the bytes,
    /// so doing it early (or on another thread, `PrefetchedBatch`) changes nothing but the time
    /// the single SQLite connection is held. Spreading one batch over both cores with
    /// `concurrentPerform` was tried and measured no faster in `runtime-bench`: the other core is
    /// busy with the publisher, librdkafka and the broker.
    static func decodeAll(_ records: [ConsumerRecord], _ decoder: EventDecoder) -> [Result<IncomingEnvelope, DecodeFailure>] {
        records.map { record -> Result<IncomingEnvelope, DecodeFailure> in
            do throws(DecodeFailure) {
                return .success(try decoder.decode(record.value))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Applies one record. `refusal`, when set, refuses it without handing it to the handler
    /// (it was refused after its handler ran, on an earlier pass of this batch).
    private func applyOne(_ record: ConsumerRecord, decoded: Result<IncomingEnvelope, DecodeFailure>, index: Int,
                          db: Database, outbox: inout [PendingOutboxRow], counts: inout BatchCounts, mode: ApplyMode,
                          refusal: (any Error)?) throws {
        let envelope: IncomingEnvelope
        switch decoded {
        case .success(let value):
            envelope = value
        case .failure(let error):
            try deadLetter(record, error.error, header: error.header, outbox: &outbox)
            counts.deadLettered += 1
            if let header = error.header, handler.catalogue.contains(header.type) {
                reject(header, key: DeadLetter.boundedKey(record.key).map { String(decoding: $0, as: UTF8.self) },
                       error: error.error, outbox: &outbox,
                       id: DeterministicID.refusalOfUnreadable(header.id, service: handler.serviceName))
                counts.rejected += 1
            }
            return
        }
        let now = record.timestampMs.map { Timestamp(millisecondsSinceEpoch: $0) } ?? envelope.header.occurredAt
        if let ignored = ignoredInputs[record.topic], ignored.contains(envelope.type) {
            #if DEBUG
            try checkIgnored(envelope, record: record, now: now, db: db)
            #endif
            counts.ignored += 1
            return
        }
        guard try store.inbox.claim(db, eventId: envelope.id.lowercasedString, topic: record.topic,
                              partition: record.partition, offset: record.offset, at: now.millisecondsSinceEpoch) else {
            counts.duplicates += 1
            return
        }
        if let refusal {
            try refuse(record, envelope, error: refusal, outbox: &outbox, counts: &counts)
            return
        }
        var context = HandlerContext(db: db, input: envelope.header, topic: Topic(record.topic),
                                     partition: record.partition, offset: record.offset, now: now)
        var emitted: [PendingOutboxRow] = []
        let changesBefore = db.totalChangesCount
        var handled = false
        do {
            try mode.isolatingEachRecord(db) {
                try handler.handle(envelope, context: &context)
                handled = true
                if mode == .careful { try handler.writeDeferred(db) }
                emitted = context.emitted.enumerated().map { index, event in
                    let id = DeterministicID.derived(from: envelope.id, index: index, service: handler.serviceName)
                    return .event(outboxHeader(for: event.payload, id: id, cause: envelope.header, at: now), event.payload,
                                  topic: event.topic.rawValue)
                }
                if mode == .careful { emitted = try emitted.map(checkedSize) }
            }
        } catch let error as DatabaseError where error.isStorageFault {
            throw error
        } catch {
            // A handler refuses (`ContractError`, `DeadLetterRefusal`) before it changes its
            // memory. Anything else, or a refusal after the handler returned (an event too large,
            // deferred writes that fail), may leave its memory ahead of what is undone.
            let refusedAsDocumented = !handled && (error is ContractError || error is any DeadLetterRefusal)
            switch mode {
            case .direct:
                // Without a savepoint a refusal is exact only when the handler wrote nothing
                // before it: otherwise the whole batch is applied again, carefully.
                if db.totalChangesCount != changesBefore || !refusedAsDocumented {
                    throw CarefulRetry.refusedAfterWriting(type: envelope.type.rawValue)
                }
            case .careful:
                if !refusedAsDocumented { throw CarefulRetry.refusedAfterHandling(index: index, error: error) }
            }
            try refuse(record, envelope, error: error, outbox: &outbox, counts: &counts)
            return
        }
        outbox.append(contentsOf: emitted)
    }

    /// `row` encoded, or the refusal of the record that emitted it when it is larger than the
    /// broker accepts.
    private func checkedSize(_ row: PendingOutboxRow) throws -> PendingOutboxRow {
        let message = Self.outboxMessage(row, codec: codec)
        guard message.value.count <= options.maxEventBytes else {
            throw OversizeOutput(eventType: message.eventType, bytes: message.value.count, limit: options.maxEventBytes)
                .contractError
        }
        return .ready(message)
    }

    #if DEBUG
    /// Hands a record of a type the handler declared it ignores to the handler anyway, in a
    /// savepoint rolled back after, and stops if it wrote or emitted anything: the declaration
    /// has drifted from what the handler does. Every test runs through here.
    private func checkIgnored(_ envelope: IncomingEnvelope, record: ConsumerRecord, now: Timestamp, db: Database) throws {
        var context = HandlerContext(db: db, input: envelope.header, topic: Topic(record.topic),
                                     partition: record.partition, offset: record.offset, now: now)
        let changesBefore = db.totalChangesCount
        try db.cachedStatement(sql: "SAVEPOINT ignored").run()
        var failure: (any Error)?
        do {
            try handler.handle(envelope, context: &context)
        } catch let error as DatabaseError where error.isStorageFault {
            // Not the declaration's fault: the batch fails as any storage fault makes it.
            try? db.cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT ignored").run()
            try? db.cachedStatement(sql: "RELEASE SAVEPOINT ignored").run()
            throw error
        } catch {
            failure = error
        }
        let changed = db.totalChangesCount != changesBefore
        try db.cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT ignored").run()
        try db.cachedStatement(sql: "RELEASE SAVEPOINT ignored").run()
        let effect = failure.map { "threw \($0)" } ?? (changed ? "wrote rows" : "emitted \(context.emitted.count) events")
        precondition(failure == nil && !changed && context.emitted.isEmpty,
                     "\(handler.serviceName) declares \(envelope.type) on \(record.topic) ignored, but handling it \(effect)")
    }
    #endif

    /// What becomes of a record whose handler threw: a `CommandRejected`, a dead letter under
    /// the handler's own code, or (a handler bug or a constraint it did not expect) a dead letter
    /// that keeps the loop going.
    private func refuse(_ record: ConsumerRecord, _ envelope: IncomingEnvelope, error: any Error,
                        outbox: inout [PendingOutboxRow], counts: inout BatchCounts) throws {
        switch error {
        case let refusal as ContractError:
            reject(envelope.header, key: envelope.payload.partitionKey, error: refusal, outbox: &outbox)
            counts.rejected += 1
        case let letter as any DeadLetterRefusal:
            try deadLetter(record, letter.contractError, header: envelope.header, outbox: &outbox)
            counts.deadLettered += 1
        default:
            logger.error("handler failed", metadata: ["type": "\(envelope.type)", "error": "\(error)"])
            try deadLetter(record, ContractError(code: "handler-failed", reason: "\(error)"), header: envelope.header,
                           outbox: &outbox)
            counts.deadLettered += 1
        }
    }

    /// Emits `CommandRejected` for a refused input, with an id derived from the input's: its
    /// first output's for an input that was read and refused, `refusalOfUnreadable` for one
    /// that could not be read (the intact command may still come).
    private func reject(_ header: EnvelopeHeader, key: String?, error: ContractError, outbox: inout [PendingOutboxRow],
                        id: UUID? = nil) {
        let rejection = CommandRejected(commandId: header.id.lowercasedString, commandType: header.type.rawValue,
                                        code: error.code, reason: error.reason, key: key)
        let id = id ?? DeterministicID.derived(from: header.id, index: 0, service: handler.serviceName)
        outbox.append(.event(outboxHeader(for: rejection, id: id, cause: header, at: header.occurredAt), rejection,
                             topic: handler.rejectionTopic.rawValue))
    }

    /// The envelope header of an emitted event: its derived id, the service as source, and the
    /// correlation and causation of the input that caused it.
    private func outboxHeader(for payload: any EventPayload, id: UUID, cause: EnvelopeHeader?, at now: Timestamp) -> EnvelopeHeader {
        let type = Swift.type(of: payload)
        return EnvelopeHeader(id: id, type: type.eventType, version: type.currentVersion, occurredAt: now,
                              source: handler.serviceName, correlationId: cause?.correlationId, causationId: cause?.id)
    }

    func appendToOutbox(_ payload: any EventPayload, topic: Topic, id: UUID, cause: EnvelopeHeader?, at now: Timestamp,
                        db: Database) throws {
        let row = PendingOutboxRow.event(outboxHeader(for: payload, id: id, cause: cause, at: now), payload, topic: topic.rawValue)
        guard case .ready(let message) = try checkedSize(row) else { return }
        try store.outbox.append(db, message)
    }

    /// Inserts the batch's outbox rows in the order they were emitted, after encoding them
    /// (split over the cores for a large batch: encoding is pure and the envelopes are
    /// byte-identical whichever thread writes them). Same rows, same `seq` order, same
    /// transaction as inserting each one when it was emitted.
    private func writeOutbox(_ rows: [PendingOutboxRow], db: Database) throws {
        let codec = self.codec
        let messages = parallelMap(rows, { Self.outboxMessage($0, codec: codec) })
        if let oversize = messages.first(where: { $0.value.count > options.maxEventBytes }) {
            throw CarefulRetry.oversize(OversizeOutput(eventType: oversize.eventType, bytes: oversize.value.count,
                                                       limit: options.maxEventBytes))
        }
        try store.outbox.appendAll(db, messages)
    }

    private static func outboxMessage(_ row: PendingOutboxRow, codec: EventCodec) -> OutboxMessage {
        switch row {
        case .ready(let message):
            return message
        case .event(let header, let payload, let topic):
            return OutboxMessage(eventId: header.id.lowercasedString, topic: topic, key: Data(utf8Of: payload.partitionKey),
                                 value: codec.encode(header: header, payload: payload), eventType: header.type.rawValue,
                                 version: header.version, createdAt: header.occurredAt.millisecondsSinceEpoch)
        }
    }

    private func deadLetter(_ record: ConsumerRecord, _ error: ContractError, header: EnvelopeHeader?,
                            outbox: inout [PendingOutboxRow]) throws {
        let letter = DeadLetter(topic: record.topic, partition: record.partition, offset: record.offset, key: record.key,
                                value: record.value, error: error, consumer: handler.serviceName, header: header)
        logger.notice("dead-lettered", metadata: ["topic": "\(record.topic)", "partition": "\(record.partition)",
                                                  "offset": "\(record.offset)", "code": "\(error.code)",
                                                  "reason": "\(error.reason.prefix(200))"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        outbox.append(.ready(OutboxMessage(eventId: letter.id.lowercasedString, topic: record.topic + ".dlq",
                                           key: DeadLetter.boundedKey(record.key), value: try encoder.encode(letter),
                                           eventType: DeadLetter.eventType, version: 1,
                                           createdAt: record.timestampMs ?? 0)))
    }
}

/// An outbox row of the batch being applied, kept until the batch's records are all applied.
enum PendingOutboxRow: Sendable {
    /// An emitted event, encoded when the batch's outbox is written.
    case event(EnvelopeHeader, any EventPayload, topic: String)
    /// A row whose value is already encoded (dead letters).
    case ready(OutboxMessage)
}

/// `items.map(transform)`, split over the machine's cores when there are enough items to pay
/// for the threads. Order is kept; `transform` must be pure.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
    let workers = min(ProcessInfo.processInfo.activeProcessorCount, 4)
    guard workers > 1, items.count >= 256 else { return items.map(transform) }
    var results = [R?](repeating: nil, count: items.count)
    let chunk = (items.count + workers - 1) / workers
    results.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        let slots = DisjointSlots(base: base)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in (worker * chunk)..<min(items.count, (worker + 1) * chunk) {
                slots.store(transform(items[index]), at: index)
            }
        }
    }
    return zip(items, results).map { item, result in result ?? transform(item) }
}

/// The result slots of one `parallelMap`. Each worker writes only the indices of its own
/// contiguous range, and the array outlives `concurrentPerform`, which returns only after every
/// worker finished: no slot is ever shared between threads, hence the unchecked `Sendable`.
private struct DisjointSlots<R>: @unchecked Sendable {
    let base: UnsafeMutablePointer<R?>

    func store(_ value: R, at index: Int) {
        (base + index).pointee = value
    }
}

/// How a batch's records are applied.
///
/// `direct` runs each handler straight in the batch's transaction: a refusal needs no undo when
/// the handler threw before writing, which is how handlers refuse (they validate first; one that
/// keeps state in memory must anyway). A SAVEPOINT and RELEASE around every record cost a few
/// percent of each service's CPU for an undo that normal traffic never needs. When a refusal
/// does follow writes (SQLite's count of changed rows moved), or an event is too large to
/// publish, the batch rolls back and runs again `careful`: each record in its own savepoint
/// (as GRDB's `inSavepoint`, with cached statements) and its events encoded and size-checked
/// there. Both modes commit the same rows and events. A failure that is not a refusal goes
/// `careful` too, and a record refused there after its handler ran is applied once more without
/// its handler, after a restore (`ServiceLoop.applySlice`).
enum ApplyMode: Equatable {
    case direct
    case careful

    func isolatingEachRecord(_ db: Database, _ body: () throws -> Void) throws {
        guard self == .careful else { return try body() }
        try db.cachedStatement(sql: "SAVEPOINT record").run()
        do {
            try body()
        } catch {
            // The first error wins: a failed rollback (the transaction already aborted by a
            // storage fault) does not hide the error that caused it.
            if db.isInsideTransaction {
                try? db.cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT record").run()
                try? db.cachedStatement(sql: "RELEASE SAVEPOINT record").run()
            }
            throw error
        }
        try db.cachedStatement(sql: "RELEASE SAVEPOINT record").run()
    }
}

/// Why a batch is applied again in `ApplyMode.careful`.
enum CarefulRetry: Error {
    case oversize(OversizeOutput)
    case refusedAfterWriting(type: String)
    case deferredWriteFailed(String)
    /// In careful mode: the record at `index` of the batch was refused with `error` after its
    /// handler ran, or failed otherwise than by a refusal; the handler's memory is restored and
    /// the batch up to that record applied again, the record refused without its handler.
    case refusedAfterHandling(index: Int, error: any Error)
}

/// An emitted event larger than the broker accepts (`RuntimeOptions.maxEventBytes`).
struct OversizeOutput: Error {
    var eventType: String
    var bytes: Int
    var limit: Int

    /// The refusal of the record that emitted it.
    var contractError: ContractError {
        ContractError(code: "output-too-large",
                      reason: "the \(eventType) this input produces is \(bytes) bytes; at most \(limit) can be published")
    }
}

struct BatchCounts {
    var deadLettered: Int64 = 0
    /// Records of types the handler ignores, passed over (`EventHandler.ignoredInputs`).
    var ignored: Int64 = 0
    var duplicates: Int64 = 0
    var rejected: Int64 = 0
    /// Partitions that stopped at a gap, to fetch again.
    var held: [OffsetGap] = []
    /// Gaps accepted after repeated fetches.
    var skipped: [OffsetGap] = []
}

extension DatabaseError {
    /// Errors of the storage itself (full, read-only, I/O, locked), as opposed to a statement's
    /// logic: the batch is retried later instead of refusing the record.
    var isStorageFault: Bool {
        switch resultCode.primaryResultCode {
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CANTOPEN,
             .SQLITE_NOMEM, .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_PERM:
            return true
        default:
            return false
        }
    }
}
