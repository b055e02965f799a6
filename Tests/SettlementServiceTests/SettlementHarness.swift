import Contract
import EcoTestKit
import Foundation
import GRDB
import Kafka
import Logging
@testable import ServiceRuntime
import SettlementDomain
@testable import SettlementService
import Store

/// The settlement handler inside the real runtime loop over a real SQLite file, fed records
/// directly (no broker): each `send` is one applied batch, and returns what it emitted.
final class SettlementHarness {
    private(set) var handler: SettlementHandler
    private(set) var loop: ServiceLoop
    let path: String
    let configuration: SettlementConfiguration
    let codec = EventCodec()
    private var offsets: [String: Int64] = [:]
    private var lastSeq: Int64 = 0
    /// Logical time of the next record (its Kafka timestamp), milliseconds.
    var clock: Int64 = 1_780_000_000_000

    init(configuration: SettlementConfiguration = SettlementConfiguration()) throws {
        self.configuration = configuration
        path = FileManager.default.temporaryDirectory.appendingPathComponent("settlement-\(UUID().uuidString).sqlite").path
        (handler, loop) = try Self.open(path, configuration)
    }

    private static func open(_ path: String, _ configuration: SettlementConfiguration) throws -> (SettlementHandler, ServiceLoop) {
        let handler = try SettlementHandler(configuration: configuration)
        let store = try EventStore(path: path, migrations: handler.migrate)
        let loop = ServiceLoop(handler: handler, store: store, options: RuntimeOptions(brokers: "127.0.0.1:1"),
                               logger: Logger(label: "settlement-test"))
        try handler.restore(from: EventStoreReader(store))
        return (handler, loop)
    }

    deinit {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// A new handler and loop on the same file, restored from it, as after a restart.
    func restart() throws {
        (handler, loop) = try Self.open(path, configuration)
    }

    /// Applies `payload` as a new envelope on `topic`; returns the events it produced.
    @discardableResult
    func send<P: EventPayload>(_ payload: P, to topic: Topic, id: UUID = UUID()) throws -> [Emitted] {
        try sendAll([Envelope(command: payload, source: "test", id: id)], to: topic)
    }

    /// Applies the envelopes as one batch (one transaction); returns the events they produced.
    @discardableResult
    func sendAll<P: EventPayload>(_ envelopes: [Envelope<P>], to topic: Topic) throws -> [Emitted] {
        let records = envelopes.map { envelope in
            let offset = offsets[topic.rawValue] ?? 0
            offsets[topic.rawValue] = offset + 1
            clock += 1
            return ConsumerRecord(topic: topic.rawValue, partition: 0, offset: offset,
                                  key: Data(envelope.data.partitionKey.utf8), value: codec.encode(envelope), timestampMs: clock)
        }
        var applied: [TopicPartition: Int64] = [:]
        try loop.apply(records, positions: &applied)
        return try newEvents()
    }

    /// Applies inputs of any types and topics as one batch, in the order given, each as an
    /// envelope with the id given; returns the events they produced.
    @discardableResult
    func sendMixed(_ inputs: [MixedInput]) throws -> [Emitted] {
        let records = inputs.map { input in
            let offset = offsets[input.topic.rawValue] ?? 0
            offsets[input.topic.rawValue] = offset + 1
            clock += 1
            return ConsumerRecord(topic: input.topic.rawValue, partition: 0, offset: offset,
                                  key: Data(input.payload.partitionKey.utf8), value: input.encoded(by: codec),
                                  timestampMs: clock)
        }
        var applied: [TopicPartition: Int64] = [:]
        try loop.apply(records, positions: &applied)
        return try newEvents()
    }

    /// Runs the handler's tick at `now` as the runtime does (its own transaction, events to the
    /// outbox); returns what it emitted.
    @discardableResult
    func tick(at now: Int64) throws -> [Emitted] {
        try loop.applyTick(at: Timestamp(millisecondsSinceEpoch: now))
        return try newEvents()
    }

    /// Outbox rows written since the last call, decoded (and so validated) as consumers will.
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

    /// Writes to the store behind the handler's back (to fake a corrupted balance).
    func tamper(_ sql: String) throws {
        try loop.store.write { try $0.execute(sql: sql) }
    }

    /// Calls an admin route as the admin port would; returns the status and the decoded body.
    func admin<T: Decodable>(_ path: String, parameters: [String: String] = [:], query: [String: String] = [:],
                             as type: T.Type) throws -> (status: Int, body: T?) {
        let routes = handler.adminRoutes(store: EventStoreReader(loop.store))
        guard let route = routes.first(where: { $0.path == path }) else { throw HarnessError("no route \(path)") }
        let response = try route.respond(AdminRequest(parameters: parameters, query: query))
        return (response.status, response.status == 200 ? try JSONDecoder().decode(T.self, from: response.body) : nil)
    }

    /// An account's balances from `/accounts/{id}`, nil when unknown.
    func account(_ id: String) throws -> AccountBody? {
        try admin("/accounts/{id}", parameters: ["id": id], as: AccountBody.self).body
    }

    func totals() throws -> TotalsBody {
        guard let body = try admin("/totals", as: TotalsBody.self).body else { throw HarnessError("no totals") }
        return body
    }

    func trade(_ id: String) throws -> TradeBody? {
        try admin("/trades/{tradeId}", parameters: ["tradeId": id], as: TradeBody.self).body
    }

    /// The in-memory ledger as the handler holds it.
    var ledger: FundsLedger { handler.host.read { $0 } }
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

struct AccountBody: Decodable, Equatable {
    struct Reservation: Decodable, Equatable {
        var orderId: String
        var amount: Int64
        var filled: Int64
        var status: String
    }

    var accountId: String
    var available: Int64
    var reserved: Int64
    var withdrawable: Int64
    var proceedsToday: Int64
    var funds: Int64
    var netDeposits: Int64
    var openReservations: [Reservation]
}

struct TotalsBody: Decodable {
    var tradingDay: String?
    var deposited: Int64
    var withdrawn: Int64
    var feesCharged: Int64
    var participantFunds: Int64
    var feeAccount: Int64
    var clearing: Int64
    var balanced: Bool
    var problems: [String]
    var openReservations: Int
}

struct TradeBody: Decodable {
    struct Leg: Decodable {
        var done: Bool
        var value: Int64?
        var refusal: String?
    }

    var tradeId: String
    var funds: Leg
    var allowances: Leg
    var settled: Bool
    var alarmed: Bool
    var waitingFor: String?
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: The saga's inputs, as the other parties send them

let cea: Instrument = .cea

func civil(_ text: String) -> CivilDate { CivilDate(text) ?? CivilDate(daysSinceEpoch: 0) }

func deposit(_ account: String, _ amount: Int64, ref: String = UUID().uuidString) -> DepositFunds {
    DepositFunds(accountId: account, amount: amount, reference: ref)
}

func buy(_ orderId: String, by account: String, _ quantity: Int64, at price: Int64) -> SubmitOrder {
    SubmitOrder(orderId: orderId, accountId: account, instrument: cea, side: .buy, method: .listed, quantity: quantity, price: price)
}

func sell(_ orderId: String, by account: String, _ quantity: Int64, at price: Int64) -> SubmitOrder {
    SubmitOrder(orderId: orderId, accountId: account, instrument: cea, side: .sell, method: .listed, quantity: quantity, price: price)
}

func executed(_ tradeId: String, buy buyOrder: String, sell sellOrder: String, buyer: String = "B-co", seller: String = "S-co",
              _ quantity: Int64, at price: Int64, day: String = "2026-07-16") -> TradeExecuted {
    TradeExecuted(tradeId: tradeId, instrument: cea, method: .listed, price: price, quantity: quantity, buyOrderId: buyOrder,
                  sellOrderId: sellOrder, buyerAccountId: buyer, sellerAccountId: seller,
                  executedAt: Timestamp(millisecondsSinceEpoch: 1_780_000_000_000), tradingDay: civil(day))
}

func delivered(_ tradeId: String, from seller: String = "S-co", to buyer: String = "B-co", _ quantity: Int64) -> AllowancesTransferred {
    AllowancesTransferred(tradeId: tradeId, fromAccountId: seller, toAccountId: buyer, instrument: cea, quantity: quantity)
}

func opened(_ day: String) -> SessionOpened { SessionOpened(instrument: cea, tradingDay: civil(day), referencePrice: 5_000) }

func closed(_ day: String) -> SessionClosed {
    SessionClosed(instrument: cea, tradingDay: civil(day), openPrice: 5_000, closePrice: 5_000, high: 5_000, low: 5_000,
                  volume: 0, turnover: 0)
}
