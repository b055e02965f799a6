import Contract
import EcoTestKit
import Foundation
import RegistryDomain

/// A broker with all four services running as processes, a writer that plays every outside
/// sender, and readers of every topic the services write (events and dead letters).
final class ReliabilityFixture: @unchecked Sendable {
    let broker: BrokerFixture
    let registry: ServiceProcess
    let matching: ServiceProcess
    let settlement: ServiceProcess
    let airAlert: ServiceProcess
    let writer: TopicWriter
    /// Readers by topic: the four event topics and every input topic's dead-letter topic.
    let readers: [Topic: TopicReader]

    var services: [ServiceProcess] { [registry, matching, settlement, airAlert] }

    /// - Parameter directories: a directory for a service's SQLite file and log, by service name
    ///   (others get a temporary one).
    init(directories: [String: URL] = [:]) async throws {
        broker = try BrokerFixture()
        registry = try ServiceProcess("registry", brokers: broker.brokers, directory: directories["registry"])
        matching = try ServiceProcess("matching", brokers: broker.brokers, directory: directories["matching"])
        settlement = try ServiceProcess("settlement", brokers: broker.brokers, directory: directories["settlement"])
        airAlert = try ServiceProcess("air-alert", brokers: broker.brokers, directory: directories["air-alert"])
        for service in [registry, matching, settlement, airAlert] { try service.start() }
        for service in [registry, matching, settlement, airAlert] { try await service.waitUntilReady() }
        writer = try TopicWriter(brokers: broker.brokers)
        var readers: [Topic: TopicReader] = [:]
        for topic in [Topic.registryEvents, .matchingEvents, .settlementEvents, .airAlerts] {
            readers[topic] = try TopicReader(brokers: broker.brokers, topic: topic, catalogue: .catalogue(of: topic))
        }
        for topic in HostileConsumer.inputTopics {
            readers[topic.deadLetter] = try TopicReader(brokers: broker.brokers, topic: topic.deadLetter, catalogue: PayloadCatalogue([]))
        }
        self.readers = readers
    }

    func reader(_ topic: Topic) throws -> TopicReader {
        guard let reader = readers[topic] else { throw TestKitError("no reader of \(topic)") }
        return reader
    }

    func stop() {
        for reader in readers.values { reader.close() }
        writer.close()
        for service in services { service.stop() }
        broker.stop()
    }

    /// GET `path` on `service`'s admin port, decoded.
    func admin<T: Decodable>(_ service: ServiceProcess, _ path: String, as type: T.Type = T.self) async throws -> T {
        let (status, body) = try await service.admin(path)
        guard status == 200 else {
            throw TestKitError("GET \(path) on \(service.name) answered \(status): \(String(decoding: body.prefix(500), as: UTF8.self))")
        }
        return try JSONDecoder().decode(T.self, from: body)
    }

    /// `/status` of a service (the runtime's counters and faults).
    func status(_ service: ServiceProcess) async throws -> ServiceStatus { try await admin(service, "/status") }

    /// Polls `probe` until it holds (the services work asynchronously), or fails with `what`.
    func eventually(_ what: String, timeout: Duration = .seconds(30), _ probe: @Sendable () async throws -> Bool) async throws {
        try await EcoTestKit.eventually(what, timeout: timeout, probe)
    }
}

/// The runtime's `/status` body (the fields the tests read).
struct ServiceStatus: Decodable {
    var service: String
    var storageFault: String?
    var publishFault: String?
    var recordsIn: Int64
    var deadLettered: Int64
    var duplicates: Int64
    var rejected: Int64
    var outboxPending: Int64
    var inboxIds: Int64?
}

struct AccountView: Decodable, Equatable {
    var accountId: String
    var available: Int64
    var reserved: Int64
}

struct FundsTotals: Decodable {
    var deposited: Int64
    var withdrawn: Int64
    var feesCharged: Int64
    var participantFunds: Int64
    var feeAccount: Int64
    var balanced: Bool
    var problems: [String]
    var openReservations: Int
}

struct HoldingsBody: Decodable {
    struct Row: Decodable {
        var instrument: String
        var held: Int64
        var frozen: Int64
    }

    var holdings: [Row]
    var cea: Row? { holdings.first { $0.instrument == "CEA" } }
}

struct RegistryTotals: Decodable {
    var balanced: Bool
}

struct EntityPage: Decodable {
    struct Entity: Decodable {
        struct Profile: Decodable { var entityId: String }
        var profile: Profile
    }

    var total: Int
    var entities: [Entity]
}

let day16 = CivilDate(year: 2026, month: 7, day: 16)

func order(_ orderId: String, _ side: Side, by account: String, _ quantity: Int64, at price: Int64) -> SubmitOrder {
    SubmitOrder(orderId: orderId, accountId: account, instrument: .cea, side: side, method: .listed, quantity: quantity, price: price)
}

/// A valid power-plant profile with a correct credit code derived from `serial`.
func plant(_ id: String, serial: Int) -> EntityProfile {
    let digits = String(format: "%08d", serial)
    let code = CreditCode.completing("913501\(digits)000") ?? ""
    return EntityProfile(entityId: id, name: "Power plant \(id)", creditCode: code, sector: .power, district: "wuhou",
                         nationalETS: true, pilotMarket: nil, vocEmitter: false, greenBenchmark: false,
                         units: [GeneratingUnitSpec(unitId: "U1", category: .coalAbove300MW, capacityMW: 600, cooling: .water)])
}

/// A market participant without emissions.
func investor(_ id: String, serial: Int) -> EntityProfile {
    var profile = plant(id, serial: serial)
    profile.name = "Investor \(id)"
    profile.sector = .investor
    profile.nationalETS = false
    profile.units = []
    return profile
}
