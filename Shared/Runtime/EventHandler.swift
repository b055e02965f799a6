import Contract
import Foundation
import GRDB
import Store

/// A service's domain wiring: which topics it reads, how it stores its state, and how it applies
/// one event inside the runtime's batch transaction.
///
/// The runtime owns everything else (polling, inbox de-dup, outbox, offsets, dead letters,
/// publishing), so a handler is plain code over `Database` that unit tests can call directly.
public protocol EventHandler: Sendable {
    /// The service name: the envelope `source` of what it emits and its consumer group id.
    var serviceName: String { get }
    /// The topics the service consumes.
    var inputTopics: [Topic] { get }
    /// The payload types it understands on its input topics; anything else is dead-lettered.
    var catalogue: PayloadCatalogue { get }
    /// Types the handler reads on a topic and never acts on, whatever they carry (another
    /// service's business that travels there: `OrderAccepted` on `matching.events` for the
    /// registry, say). The runtime still decodes and validates them, so a malformed one is
    /// dead-lettered as before, but passes them over without an inbox row or a handler call: a
    /// copy of one has no effect to repeat, and about a third of what the services read is such
    /// records. Debug builds still hand each to the handler, in a savepoint rolled back after,
    /// and fail if it wrote or emitted anything. Empty by default.
    var ignoredInputs: [Topic: Set<EventType>] { get }
    /// Where `CommandRejected` goes when the handler refuses an input.
    var rejectionTopic: Topic { get }
    /// librdkafka consumer properties the service prefers to the consumer's defaults (fetch
    /// and queue settings); what the operator gives (`--kafka-property`, `ECO_RDKAFKA_*`) still
    /// wins, and so do the connection settings every client gets (`KafkaConfiguration`:
    /// bootstrap servers, client id, timeouts, log level). For a service whose inputs
    /// are not urgent: a consumer that has caught up parks its next fetch in the broker for up to
    /// half of `fetch.wait.max.ms`, so a longer wait means fewer, larger fetches, and less of the
    /// broker's CPU taken from the services on the order path. Empty by default.
    var consumerProperties: [String: String] { get }
    /// The service's own tables.
    func migrate(_ migrator: inout DatabaseMigrator)
    /// Applies one decoded input. Throwing a `ContractError` refuses it: its writes are rolled
    /// back and a `CommandRejected` with the reason is emitted (a `DeadLetterRefusal`
    /// dead-letters it instead). Storage faults abort the batch; any other error dead-letters
    /// the input as `handler-failed`, after the runtime restored the handler's memory.
    func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws
    /// Read-only admin routes (GET), served on the admin port beside the health endpoints.
    func adminRoutes(store: EventStoreReader) -> [AdminRoute]
    /// Rebuilds any state the handler keeps in memory from its store. Called on the loop thread
    /// before consuming starts and again after a batch was rolled back, so memory never runs
    /// ahead of what SQLite committed. A handler with in-memory state must throw its refusals
    /// (`ContractError`, `DeadLetterRefusal`) before it changes that state: the runtime undoes
    /// a refused input's writes with a savepoint, which memory does not follow. Whatever else
    /// refuses an input after the handler ran (another error, an emitted event too large to
    /// publish, deferred writes that fail) makes the runtime roll the batch back, call this, and
    /// apply the batch again without handing that input over.
    func restore(from store: EventStoreReader) throws
    /// Writes what the handler put off while applying records: rows that many records of a batch
    /// change (balances, holdings), written once from the handler's memory instead of after each
    /// record. The runtime calls it inside the transaction before the batch's outbox and offsets
    /// are written, after a tick, and after each record while it applies a batch record by record
    /// in savepoints (`ApplyMode.careful`), so a record's deferred writes are undone with it.
    /// `restore` must forget whatever is pending: its transaction rolled back.
    func writeDeferred(_ db: Database) throws
    /// How often `tick` runs; nil (the default) for never.
    var tickInterval: Duration? { get }
    /// Time-driven work (timeouts, auction windows, alarms) in its own transaction on the loop
    /// thread. `context.now` is the wall clock; emitted ids derive from the tick's time, so
    /// make emissions idempotent through the handler's own state.
    func tick(context: inout HandlerContext) throws
}

extension EventHandler {
    public func adminRoutes(store: EventStoreReader) -> [AdminRoute] { [] }
    public var ignoredInputs: [Topic: Set<EventType>] { [:] }
    public var consumerProperties: [String: String] { [:] }
    public func restore(from store: EventStoreReader) throws {}
    public func writeDeferred(_ db: Database) throws {}
    public var tickInterval: Duration? { nil }
    public func tick(context: inout HandlerContext) throws {}
}

/// Thrown by a handler for a record it will not apply and that refuses no command (a stale
/// reading, say): the record is dead-lettered under the handler's own code and reason.
public protocol DeadLetterRefusal: Error {
    var contractError: ContractError { get }
}

/// What a handler sees of the record it is applying, and how it emits events.
public struct HandlerContext {
    /// The open transaction of the batch. A refusal undoes this record's writes (`ApplyMode`):
    /// validate before writing, and a refusal costs nothing more.
    public let db: Database
    /// The envelope being applied.
    public let input: EnvelopeHeader
    /// Where the record came from.
    public let topic: Topic
    public let partition: Int32
    public let offset: Int64
    /// The logical time of this record: its Kafka timestamp, else its `occurredAt`. Never the
    /// wall clock, so reprocessing the same record derives byte-identical events.
    public let now: Timestamp
    /// Events emitted so far for this input, in order.
    public private(set) var emitted: [OutgoingEvent] = []

    init(db: Database, input: EnvelopeHeader, topic: Topic, partition: Int32, offset: Int64, now: Timestamp) {
        self.db = db; self.input = input; self.topic = topic; self.partition = partition
        self.offset = offset; self.now = now
    }

    /// Emits `payload` to `topic`. Its id is derived from the input's id and its position.
    public mutating func emit<P: EventPayload>(_ payload: P, to topic: Topic) {
        emitted.append(OutgoingEvent(topic: topic, payload: payload))
    }
}

/// An event a handler emitted, before the runtime gives it an envelope.
public struct OutgoingEvent: Sendable {
    public var topic: Topic
    public var payload: any EventPayload
}

/// Read access to a service's store for admin routes (never writes).
public struct EventStoreReader: Sendable {
    let store: EventStore
    public init(_ store: EventStore) { self.store = store }
    public func read<T>(_ body: (Database) throws -> T) throws -> T { try store.read(body) }
}
