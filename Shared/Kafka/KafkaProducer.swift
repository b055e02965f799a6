import CRdKafka
import Foundation
import Synchronization

/// An idempotent producer with per-batch delivery reports.
///
/// `enable.idempotence` keeps each partition's records in order and free of duplicates across
/// librdkafka's internal retries. Delivery reports are served by a dedicated polling thread,
/// never by the Swift concurrency pool, and complete the batch that produced them.
public final class KafkaProducer: Sendable {
    private let handle: SendableHandle
    private let pollThread: PollThread

    public init(configuration: KafkaConfiguration) throws(KafkaError) {
        var configuration = configuration
        let defaults = [
            "enable.idempotence": "true",
            "acks": "all",
            "linger.ms": "2",
            "queue.buffering.max.messages": "1000000",
            "batch.num.messages": "10000",
            "compression.type": "lz4",
            "message.timeout.ms": "30000",
        ]
        for (key, value) in defaults where configuration[key] == nil { configuration[key] = value }
        let conf = try configuration.makeConf()
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, _ in
            guard let message, let opaque = message.pointee._private else { return }
            let batch = Unmanaged<DeliveryBatch>.fromOpaque(opaque).takeRetainedValue()
            let err = message.pointee.err
            batch.delivered(err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(err, context: "delivery failed"))
        }
        let client = try makeClient(type: RD_KAFKA_PRODUCER, conf: conf)
        let handle = SendableHandle(client)
        self.handle = handle
        self.pollThread = PollThread(name: "kafka-producer-poll") { rd_kafka_poll(handle.pointer, 100) }
    }

    /// Produces `records` and blocks the calling thread until every one is acknowledged or failed.
    /// For dedicated threads (the outbox publisher); async callers use `send(_:)`.
    /// - Throws: the first delivery failure, with librdkafka's text.
    public func sendAndWait(_ records: [ProducerRecord]) throws(KafkaError) {
        try submit(records).wait()
    }

    /// Produces `records` without waiting: the returned delivery completes once every one is
    /// acknowledged or failed, and then calls `onCompletion` (on librdkafka's polling thread, so
    /// it must be quick: signal a waiting thread, no more). Several submitted batches may be in
    /// flight at once; the idempotent producer keeps each partition's records in submission order.
    /// - Throws: when a record could not be handed to librdkafka at all; the records already
    ///   handed over are still delivered (or fail) on their own.
    public func submit(_ records: [ProducerRecord], onCompletion: (@Sendable () -> Void)? = nil) throws(KafkaError) -> Delivery {
        let delivery = Delivery(onCompletion: onCompletion)
        let batch = DeliveryBatch(count: records.count) { error in delivery.complete(error) }
        try enqueue(records, batch: batch)
        return delivery
    }

    /// Produces `records` and resumes once every one is acknowledged.
    public func send(_ records: [ProducerRecord]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let batch = DeliveryBatch(count: records.count) { error in
                if let error { continuation.resume(throwing: error) } else { continuation.resume() }
            }
            do { try enqueue(records, batch: batch) } catch { batch.abandon(error) }
        }
    }

    /// Waits until every queued record is delivered or `timeoutMs` passes.
    public func flush(timeoutMs: Int32 = 10_000) throws(KafkaError) {
        let err = rd_kafka_flush(handle.pointer, timeoutMs)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, context: "flush") }
    }

    /// Flushes, stops the polling thread and destroys the handle. Call once.
    public func close(flushTimeoutMs: Int32 = 10_000) {
        _ = rd_kafka_flush(handle.pointer, flushTimeoutMs)
        pollThread.stop()
        rd_kafka_destroy(handle.pointer)
    }

    private func enqueue(_ records: [ProducerRecord], batch: DeliveryBatch) throws(KafkaError) {
        if records.isEmpty { batch.delivered(nil); return }
        for (index, record) in records.enumerated() {
            do {
                try produce(record, batch: batch)
            } catch {
                // The records not handed to librdkafka will never report; count them as failed.
                for _ in index..<records.count { batch.delivered(error) }
                throw error
            }
        }
    }

    private func produce(_ record: ProducerRecord, batch: DeliveryBatch) throws(KafkaError) {
        while true {
            let opaque = Unmanaged.passRetained(batch).toOpaque()
            let error = produceOnce(record, opaque: opaque)
            guard let error else { return }
            Unmanaged<DeliveryBatch>.fromOpaque(opaque).release()
            let kafkaError = KafkaError(consuming: error)
            guard kafkaError.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue else { throw kafkaError }
            usleep(500)  // The poll thread drains delivery reports; the queue frees up shortly.
        }
    }

    /// One `rd_kafka_produceva` call; returns librdkafka's error object (owned) on failure.
    private func produceOnce(_ record: ProducerRecord, opaque: UnsafeMutableRawPointer) -> OpaquePointer? {
        let headers: OpaquePointer? = record.headers.isEmpty ? nil : rd_kafka_headers_new(record.headers.count)
        for (name, value) in record.headers {
            value.withUnsafeBytes { bytes in
                _ = rd_kafka_header_add(headers, name, -1, bytes.baseAddress, bytes.count)
            }
        }
        let result: OpaquePointer? = record.topic.withCString { topic in
            record.value.withUnsafeBytes { value in
                withOptionalBytes(record.key) { key in
                    // At most seven fields, on the stack: an array per record was a heap
                    // allocation on the publisher's hottest path.
                    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { buffer in
                        var fields = FieldList(buffer)
                        fields.append(RD_KAFKA_VTYPE_TOPIC) { $0.cstr = topic }
                        fields.append(RD_KAFKA_VTYPE_VALUE) {
                            $0.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress); $0.mem.size = value.count
                        }
                        if let key {
                            fields.append(RD_KAFKA_VTYPE_KEY) {
                                $0.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress); $0.mem.size = key.count
                            }
                        }
                        fields.append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.i = RD_KAFKA_MSG_F_COPY }
                        fields.append(RD_KAFKA_VTYPE_OPAQUE) { $0.ptr = opaque }
                        if let partition = record.partition {
                            fields.append(RD_KAFKA_VTYPE_PARTITION) { $0.i32 = partition }
                        }
                        if let headers {
                            fields.append(RD_KAFKA_VTYPE_HEADERS) { $0.headers = headers }
                        }
                        return rd_kafka_produceva(handle.pointer, buffer.baseAddress, fields.count)
                    }
                }
            }
        }
        // On success librdkafka owns the headers; on failure they are still ours.
        if result != nil, let headers { rd_kafka_headers_destroy(headers) }
        return result
    }
}

/// The fields of one `rd_kafka_produceva` call, appended into a fixed buffer.
private struct FieldList {
    let buffer: UnsafeMutableBufferPointer<rd_kafka_vu_t>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<rd_kafka_vu_t>) { self.buffer = buffer }

    mutating func append(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t.__Unnamed_union_u) -> Void) {
        var field = rd_kafka_vu_t()
        field.vtype = type
        set(&field.u)
        buffer.initializeElement(at: count, to: field)
        count += 1
    }
}

private func withOptionalBytes<R>(_ data: Data?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let data else { return body(nil) }
    return data.withUnsafeBytes { body($0) }
}

/// The outcome of one `submit`: pending until every record of it is acknowledged or failed.
public final class Delivery: Sendable {
    private let outcome = Mutex<Result<Void, KafkaError>?>(nil)
    private let done = DispatchSemaphore(value: 0)
    private let onCompletion: (@Sendable () -> Void)?

    init(onCompletion: (@Sendable () -> Void)?) { self.onCompletion = onCompletion }

    fileprivate func complete(_ error: KafkaError?) {
        outcome.withLock { $0 = error.map { .failure($0) } ?? .success(()) }
        onCompletion?()
        // After the callback, so that whoever returns from `wait` sees its effects.
        done.signal()
    }

    /// Nil while records are in flight; then success, or the first delivery failure.
    public var result: Result<Void, KafkaError>? { outcome.withLock { $0 } }

    /// Blocks until the delivery completes.
    /// - Throws: the first delivery failure, with librdkafka's text.
    public func wait() throws(KafkaError) {
        done.wait()
        done.signal() // a latch: later waits return at once
        if case .failure(let error)? = result { throw error }
    }
}

/// Counts the delivery reports of one `send` and completes once all have arrived.
final class DeliveryBatch: Sendable {
    private struct State {
        var remaining: Int
        var firstError: KafkaError?
        var completed = false
    }
    private let state: Mutex<State>
    private let completion: @Sendable (KafkaError?) -> Void

    init(count: Int, completion: @escaping @Sendable (KafkaError?) -> Void) {
        self.state = Mutex(State(remaining: count))
        self.completion = completion
    }

    func delivered(_ error: KafkaError?) {
        let finished: KafkaError?? = state.withLock { state in
            if state.firstError == nil { state.firstError = error }
            state.remaining -= 1
            guard state.remaining <= 0, !state.completed else { return .none }
            state.completed = true
            return .some(state.firstError)
        }
        if case .some(let error) = finished { completion(error) }
    }

    /// Completes at once with `error` (used when nothing could be enqueued at all).
    func abandon(_ error: any Error) {
        let kafkaError = error as? KafkaError ?? KafkaError(code: -1, message: "\(error)")
        let first = state.withLock { state -> Bool in
            defer { state.completed = true }
            return !state.completed
        }
        if first { completion(kafkaError) }
    }
}
