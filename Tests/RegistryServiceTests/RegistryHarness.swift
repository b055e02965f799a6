import Contract
import EcoTestKit
import Foundation
import GRDB
import Kafka
import Logging
import RegistryDomain
@testable import RegistryService
@testable import ServiceRuntime
import Store

/// The registry handler inside the real runtime loop over a real SQLite file, fed records
/// directly (no broker): each `send` is one applied batch, and returns what it emitted.
final class RegistryHarness {
    private(set) var handler: RegistryHandler
    private(set) var loop: ServiceLoop
    let configuration: RegistryConfiguration
    let codec = EventCodec()
    private var positions: [TopicPartition: Int64] = [:]
    private var lastSeq: Int64 = 0
    /// Logical time of the next record (its Kafka timestamp).
    var clock: Int64 = 1_780_000_000_000

    private let path: String

    init(configuration: RegistryConfiguration = RegistryConfiguration()) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString).sqlite").path
        self.configuration = configuration
        (handler, loop) = try Self.open(path, configuration)
    }

    private static func open(_ path: String, _ configuration: RegistryConfiguration) throws -> (RegistryHandler, ServiceLoop) {
        let handler = RegistryHandler(configuration: configuration)
        let store = try EventStore(path: path, migrations: handler.migrate)
        let loop = ServiceLoop(handler: handler, store: store, options: RuntimeOptions(brokers: "127.0.0.1:1"),
                               logger: Logger(label: "registry-test"))
        return (handler, loop)
    }

    /// A new handler and loop on the same file, restored from it, as after a restart.
    func restart() throws {
        (handler, loop) = try Self.open(path, configuration)
        try handler.restore(from: EventStoreReader(loop.store))
    }

    /// The in-memory ledger as the handler holds it.
    var ledger: HoldingsLedger {
        get throws { try loop.store.read { db in try handler.engine.with(db) { $0.ledger } } }
    }

    /// Writes to the store behind the handler's back (to fake a damaged file).
    func tamper(_ sql: String, _ arguments: StatementArguments = []) throws {
        try loop.store.write { try $0.execute(sql: sql, arguments: arguments) }
    }

    deinit {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Applies `payload` as a new envelope on `topic`; returns the events it produced.
    @discardableResult
    func send<P: EventPayload>(_ payload: P, to topic: Topic = .registryCommands, id: UUID = UUID()) throws -> [Emitted] {
        try sendAll([Envelope(command: payload, source: "test", id: id)], to: topic)
    }

    /// Applies the envelopes as one batch (one transaction); returns the events they produced.
    @discardableResult
    func sendAll<P: EventPayload>(_ envelopes: [Envelope<P>], to topic: Topic) throws -> [Emitted] {
        let records = envelopes.map { envelope in
            let partition = TopicPartition(topic: topic.rawValue, partition: 0)
            let offset = positions[partition] ?? 0
            positions[partition] = offset + 1
            clock += 1
            return ConsumerRecord(topic: topic.rawValue, partition: 0, offset: offset,
                                  key: Data(envelope.data.partitionKey.utf8), value: codec.encode(envelope), timestampMs: clock)
        }
        var applied: [TopicPartition: Int64] = [:]
        try loop.apply(records, positions: &applied)
        return try newEvents()
    }

    /// Applies inputs of any types and topics as one batch, in the order given; returns the
    /// events they produced.
    @discardableResult
    func sendMixed(_ inputs: [MixedInput]) throws -> [Emitted] {
        let records = inputs.map { input in
            let partition = TopicPartition(topic: input.topic.rawValue, partition: 0)
            let offset = positions[partition] ?? 0
            positions[partition] = offset + 1
            clock += 1
            return ConsumerRecord(topic: input.topic.rawValue, partition: 0, offset: offset,
                                  key: Data(input.payload.partitionKey.utf8), value: input.encoded(by: codec), timestampMs: clock)
        }
        var applied: [TopicPartition: Int64] = [:]
        try loop.apply(records, positions: &applied)
        return try newEvents()
    }

    /// Outbox rows written since the last call, decoded (and so validated) as the consumers will.
    private func newEvents() throws -> [Emitted] {
        let rows = try loop.store.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, topic, key, value FROM outbox WHERE seq > ? ORDER BY seq", arguments: [lastSeq])
        }
        lastSeq = rows.last?["seq"] ?? lastSeq
        return try rows.map { row in
            let topic: String = row["topic"]
            let value: Data = row["value"]
            let key: Data? = row["key"]
            if topic.hasSuffix(".dlq") {
                return Emitted(topic: topic, key: key.map { String(decoding: $0, as: UTF8.self) }, envelope: nil,
                               deadLetter: try JSONDecoder().decode(DeadLetter.self, from: value))
            }
            return Emitted(topic: topic, key: key.map { String(decoding: $0, as: UTF8.self) },
                           envelope: try codec.decode(value, catalogue: .all), deadLetter: nil)
        }
    }

    /// One integer from SQL.
    func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try loop.store.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
    }

    /// Calls an admin route as the admin port would; returns the status and decoded body.
    func admin<T: Decodable>(_ path: String, parameters: [String: String] = [:], query: [String: String] = [:],
                             as type: T.Type) throws -> (status: Int, body: T?) {
        let routes = handler.adminRoutes(store: EventStoreReader(loop.store))
        guard let route = routes.first(where: { $0.path == path }) else { throw HarnessError("no route \(path)") }
        let response = try route.respond(AdminRequest(parameters: parameters, query: query))
        return (response.status, response.status == 200 ? try JSONDecoder().decode(T.self, from: response.body) : nil)
    }

    /// Market-wide totals from the admin route.
    func totals() throws -> Totals {
        guard let body = try admin("/totals", as: Totals.self).body else { throw HarnessError("no totals") }
        return body
    }

    /// An entity's holding of `instrument` from the admin route (zeros when it holds none).
    func holding(_ entityId: String, _ instrument: String = "CEA") throws -> HoldingView {
        let body = try admin("/entities/{id}/holdings", parameters: ["id": entityId], as: Holdings.self).body
        return body?.holdings.first { $0.instrument == instrument }
            ?? HoldingView(instrument: instrument, held: 0, frozen: 0, available: 0, acquiredToday: 0, sellable: 0, retired: 0)
    }

    /// The in-memory ledger rebuilt from the journal, as a restart would see it.
    func replayedLedger() throws -> HoldingsLedger {
        try loop.store.read { db in
            try HoldingsLedger(owners: [], tradingDay: try JournalStore.tradingDay(db), replaying: try JournalStore.entries(db))
        }
    }
}

/// An event the handler wrote to its outbox, decoded.
struct Emitted {
    var topic: String
    var key: String?
    var envelope: IncomingEnvelope?
    var deadLetter: DeadLetter?

    var type: String { envelope?.type.rawValue ?? DeadLetter.eventType }
    func payload<P: EventPayload>(_: P.Type) -> P? { envelope?.payload(as: P.self) }
}

extension Array where Element == Emitted {
    func payloads<P: EventPayload>(_: P.Type) -> [P] { compactMap { $0.payload(P.self) } }
    var types: [String] { map(\.type) }
}

struct Totals: Decodable {
    var balanced: Bool
    var instruments: [InstrumentTotals]
    var journalEntries: Int
    var tradingDay: String?

    func of(_ instrument: String) -> InstrumentTotals? { instruments.first { $0.instrument == instrument } }
}

struct Holdings: Decodable {
    var entityId: String
    var tradingDay: String?
    var holdings: [HoldingView]
    var openHolds: [HoldView]
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
