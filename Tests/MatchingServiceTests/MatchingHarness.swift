import Contract
import Foundation
import GRDB
import Kafka
import Logging
@testable import MatchingService
@testable import ServiceRuntime
import Store

/// The matching handler inside the real runtime loop and a real SQLite file, fed consumer
/// records directly (no broker). Envelope ids and record times are derived from a counter, so
/// two harnesses fed the same script see byte-identical records.
final class MatchingHarness {
    let path: String
    let configuration: MatchingConfiguration
    private(set) var handler: MatchingHandler
    private(set) var loop: ServiceLoop
    private var positions: [TopicPartition: Int64] = [:]
    private var nextOffset: [Topic: Int64] = [:]
    private(set) var sent = 0
    let codec = EventCodec()
    /// Logical time of the first record; each record is one millisecond later.
    static let start: Int64 = 1_784_165_400_000  // 2026-07-16T01:30:00Z, 09:30 in Beijing

    init(configuration: MatchingConfiguration = MatchingConfiguration(), path: String? = nil) throws {
        self.path = path ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("matching-\(UUID().uuidString).sqlite").path
        self.configuration = configuration
        (handler, loop) = try Self.open(self.path, configuration)
        try handler.restore(from: EventStoreReader(loop.store))
    }

    private static func open(_ path: String, _ configuration: MatchingConfiguration) throws -> (MatchingHandler, ServiceLoop) {
        let handler = MatchingHandler(configuration: configuration)
        let store = try EventStore(path: path, migrations: handler.migrate)
        let loop = ServiceLoop(handler: handler, store: store, options: RuntimeOptions(brokers: "127.0.0.1:1"),
                               logger: Logger(label: "matching-test"))
        return (handler, loop)
    }

    /// A new handler and loop on the same file, restored from it: a process restart.
    func restart() throws {
        (handler, loop) = try Self.open(path, configuration)
        try handler.restore(from: EventStoreReader(loop.store))
    }

    /// The consumer record the script's next input becomes (same script, same bytes).
    func record<P: EventPayload>(_ payload: P, to topic: Topic) -> ConsumerRecord {
        sent += 1
        let offset = nextOffset[topic, default: 0]
        nextOffset[topic] = offset + 1
        let at = Timestamp(millisecondsSinceEpoch: Self.start + Int64(sent))
        let header = EnvelopeHeader(id: DeterministicID.nameBased("matching-test/\(sent)"), type: P.eventType,
                                    version: P.currentVersion, occurredAt: at, source: "test")
        return ConsumerRecord(topic: topic.rawValue, partition: 0, offset: offset, key: Data(payload.partitionKey.utf8),
                              value: codec.encode(Envelope(header: header, data: payload)), timestampMs: at.millisecondsSinceEpoch)
    }

    /// Applies records as one batch, in one transaction.
    func apply(_ records: [ConsumerRecord]) throws {
        try loop.apply(records, positions: &positions)
    }

    /// Sends one payload as its own batch.
    func send<P: EventPayload>(_ payload: P, to topic: Topic = .marketOrders) throws {
        try apply([record(payload, to: topic)])
    }

    func outbox(_ topic: Topic? = nil) throws -> [OutboxMessage] {
        try loop.store.read { try Outbox.all($0, topic: topic?.rawValue) }
    }

    /// Every event on `matching.events` so far, decoded.
    func events() throws -> [IncomingEnvelope] {
        try outbox(.matchingEvents).map { try codec.decode($0.value, catalogue: .matchingEvents) }
    }

    func payloads<P: EventPayload>(_: P.Type) throws -> [P] {
        try events().compactMap { $0.payload(as: P.self) }
    }

    /// Event types on `matching.events` after the first `skip`.
    func types(after skip: Int = 0) throws -> [String] {
        try events().dropFirst(skip).map(\.type.rawValue)
    }

    var state: MatchingState { handler.host.read { $0 } }

    func count(_ sql: String) throws -> Int {
        try loop.store.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }
}

/// The script's building blocks.
enum Script {
    static let day = CivilDate(year: 2026, month: 7, day: 16)

    static func open(_ reference: Int64? = 5_000, day: CivilDate = day, instrument: Instrument = .cea) -> OpenSession {
        OpenSession(instrument: instrument, tradingDay: day, referencePrice: reference)
    }

    static func close(day: CivilDate = day, instrument: Instrument = .cea, referencePrice: Int64? = nil) -> CloseSession {
        CloseSession(instrument: instrument, tradingDay: day, referencePrice: referencePrice)
    }

    static func buy(_ id: String, _ account: String, _ quantity: Int64, at price: Int64,
                    method: Contract.TradingMethod = .listed, counterparty: String? = nil) -> SubmitOrder {
        SubmitOrder(orderId: id, accountId: account, instrument: .cea, side: .buy, method: method,
                    quantity: quantity, price: price, counterpartyId: counterparty)
    }

    static func sell(_ id: String, _ account: String, _ quantity: Int64, at price: Int64,
                     method: Contract.TradingMethod = .listed, counterparty: String? = nil) -> SubmitOrder {
        SubmitOrder(orderId: id, accountId: account, instrument: .cea, side: .sell, method: method,
                    quantity: quantity, price: price, counterpartyId: counterparty)
    }
}

extension MatchingHarness {
    /// Submits an order and places its hold the way the saga does: a sell's allowances frozen by
    /// the registry, a buy's funds reserved by settlement.
    func submitHeld(_ order: SubmitOrder) throws {
        try send(order)
        try placeHold(order)
    }

    func placeHold(_ order: SubmitOrder) throws {
        try apply([holdRecord(order)])
    }

    func holdRecord(_ order: SubmitOrder) -> ConsumerRecord {
        switch order.side {
        case .sell:
            record(AllowancesFrozen(orderId: order.orderId, accountId: order.accountId, instrument: order.instrument,
                                    quantity: order.quantity), to: .registryEvents)
        case .buy:
            record(FundsReserved(orderId: order.orderId, accountId: order.accountId, amount: order.quantity * order.price),
                   to: .settlementEvents)
        }
    }
}
