import AirAlertDomain
@testable import AirAlertService
import Contract
import Foundation
import GRDB
import Kafka
import Logging
@testable import ServiceRuntime
import Store

/// The air-alert handler inside the real service loop and a real SQLite file, fed consumer
/// records directly (no broker): what `ServiceLoop.apply` commits is what the service commits.
final class Harness {
    let path: String
    let configuration: AirAlertConfiguration
    private(set) var loop: ServiceLoop
    private var positions: [TopicPartition: Int64] = [:]
    private var nextOffset: [String: Int64] = [:]
    let codec = EventCodec()

    init(path: String? = nil, configuration: AirAlertConfiguration = AirAlertConfiguration()) throws {
        self.path = path ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("air-alert-\(UUID().uuidString).sqlite").path
        self.configuration = configuration
        loop = try Self.makeLoop(path: self.path, configuration: configuration)
    }

    private static func makeLoop(path: String, configuration: AirAlertConfiguration) throws -> ServiceLoop {
        let handler = AirAlertHandler(configuration: configuration)
        let store = try EventStore(path: path, migrations: handler.migrate)
        var logger = Logger(label: "air-alert-test")
        logger.logLevel = .critical // refusals are asserted on, not logged
        try handler.restore(from: EventStoreReader(store)) // as the loop does before its first poll
        return ServiceLoop(handler: handler, store: store, options: RuntimeOptions(brokers: "127.0.0.1:1"),
                           logger: logger)
    }

    /// A new loop over the same file, as after a restart: nothing may live only in memory.
    func restart() throws {
        loop = try Self.makeLoop(path: path, configuration: configuration)
        positions = try loop.store.read(Offsets.load)
    }

    /// Applies envelopes as one batch; each record's Kafka timestamp is its `receivedAt`.
    func apply(_ items: [(value: Data, key: String, topic: Topic, receivedAt: Date)]) throws {
        var records: [ConsumerRecord] = []
        for item in items {
            let offset = nextOffset[item.topic.rawValue, default: 0]
            nextOffset[item.topic.rawValue] = offset + 1
            records.append(ConsumerRecord(topic: item.topic.rawValue, partition: 0, offset: offset,
                                          key: Data(item.key.utf8), value: item.value,
                                          timestampMs: Timestamp(item.receivedAt).millisecondsSinceEpoch))
        }
        try loop.apply(records, positions: &positions)
    }

    /// Sends one payload in a new envelope; returns the envelope id.
    @discardableResult
    func send<P: EventPayload>(_ payload: P, to topic: Topic = .airObservations, at receivedAt: Date,
                               id: UUID = UUID()) throws -> UUID {
        let envelope = Envelope(command: payload, source: "test", id: id, occurredAt: Timestamp(receivedAt))
        try apply([(codec.encode(envelope), payload.partitionKey, topic, receivedAt)])
        return id
    }

    func sendRaw(_ text: String, key: String = "x", to topic: Topic = .airObservations, at receivedAt: Date) throws {
        try apply([(Data(text.utf8), key, topic, receivedAt)])
    }

    /// Everything the service wrote to `topic`, in order.
    func outbox(_ topic: Topic) throws -> [OutboxMessage] {
        try loop.store.read { try Outbox.all($0, topic: topic.rawValue) }
    }

    /// The decoded events on `air.alerts`.
    func alerts() throws -> [IncomingEnvelope] {
        try outbox(.airAlerts).map { try codec.decode($0.value, catalogue: .airAlerts) }
    }

    func alerts<P: EventPayload>(_: P.Type) throws -> [P] {
        try alerts().compactMap { $0.payload(as: P.self) }
    }

    /// The types on `air.alerts`, in order.
    func alertTypes() throws -> [String] { try alerts().map(\.type.rawValue) }

    func deadLetters(_ topic: Topic = .airObservations) throws -> [DeadLetter] {
        try outbox(topic.deadLetter).map { try JSONDecoder().decode(DeadLetter.self, from: $0.value) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T { try loop.store.read(body) }

    func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
    }

    /// An admin route's JSON, parsed.
    func admin(_ path: String, parameters: [String: String] = [:], query: [String: String] = [:]) throws -> Any {
        let routes = AirAlertHandler(configuration: configuration).adminRoutes(store: EventStoreReader(loop.store))
        guard let route = routes.first(where: { $0.path == path }) else { throw HarnessError("no route \(path)") }
        let response = try route.respond(AdminRequest(parameters: parameters, query: query))
        guard response.status == 200 else { throw HarnessError("\(path): status \(response.status)") }
        return try JSONSerialization.jsonObject(with: response.body)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A CST calendar day from `yyyy-MM-dd`.
func day(_ text: String) -> CalendarDay {
    guard let value = try? CalendarDay(text) else { fatalError("bad day \(text)") }
    return value
}

/// An instant in China Standard Time: `cst("2026-07-10", 10)` is 10:00 CST.
func cst(_ date: String, _ hour: Int, _ minute: Int = 0) -> Date {
    day(date).start().addingTimeInterval(Double(hour * 3600 + minute * 60))
}

/// A forecast of daily IAQIs from `start`.
func forecast(_ id: String, _ district: String, issued: Date, start: String, _ iaqis: [Int64]) -> AirQualityForecast {
    let first = ContractMapping.civil(day(start))
    return AirQualityForecast(forecastId: id, district: district, issuedAt: Timestamp(issued), days: iaqis.enumerated().map {
        Contract.ForecastDay(date: first.adding(days: Int64($0.offset)), iaqi: $0.element)
    })
}

/// A registry profile with the flags the air-alert service reads.
func enterprise(_ id: String, district: String, sector: Contract.Sector, voc: Bool = false,
                green: Bool = false) -> EntityProfile {
    EntityProfile(entityId: id, name: "Enterprise \(id)", creditCode: "91510100MA61234567", sector: sector,
                  district: district, nationalETS: sector == .power, vocEmitter: voc, greenBenchmark: green, units: [])
}

/// A reading of `station` at `observedAt`.
func reading(_ station: String, _ district: String, at observedAt: Date, o3: Double = 120,
             o3EightHour: Double = 90) -> AirQualityObserved {
    AirQualityObserved(district: district, stationId: station, observedAt: Timestamp(observedAt), o3OneHour: o3,
                       o3EightHour: o3EightHour)
}
