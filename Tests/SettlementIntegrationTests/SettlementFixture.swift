import Contract
import EcoTestKit
import Foundation
import GRDB
import RegistryDomain

/// A broker and the service processes a test needs (settlement alone, or the whole market:
/// registry, matching and settlement), a writer that plays everyone else, and readers of the
/// topics the test watches.
final class MarketFixture: @unchecked Sendable {
    let broker: BrokerFixture
    let settlement: ServiceProcess
    let registry: ServiceProcess?
    let matching: ServiceProcess?
    let writer: TopicWriter
    let settlementEvents: TopicReader
    let matchingEvents: TopicReader?
    let registryEvents: TopicReader?

    /// - Parameter market: also run `registry` and `matching`.
    init(market: Bool, settlementArguments: [String] = []) async throws {
        broker = try BrokerFixture()
        settlement = try ServiceProcess("settlement", brokers: broker.brokers, extraArguments: settlementArguments)
        registry = market ? try ServiceProcess("registry", brokers: broker.brokers) : nil
        matching = market ? try ServiceProcess("matching", brokers: broker.brokers) : nil
        for process in [settlement, registry, matching].compactMap({ $0 }) { try process.start() }
        for process in [settlement, registry, matching].compactMap({ $0 }) { try await process.waitUntilReady() }
        writer = try TopicWriter(brokers: broker.brokers)
        settlementEvents = try TopicReader(brokers: broker.brokers, topic: .settlementEvents, catalogue: .settlementEvents)
        matchingEvents = market ? try TopicReader(brokers: broker.brokers, topic: .matchingEvents, catalogue: .matchingEvents) : nil
        registryEvents = market ? try TopicReader(brokers: broker.brokers, topic: .registryEvents, catalogue: .registryEvents) : nil
    }

    func stop() {
        for reader in [settlementEvents, matchingEvents, registryEvents].compactMap({ $0 }) { reader.close() }
        writer.close()
        for process in [settlement, registry, matching].compactMap({ $0 }) { process.stop() }
        broker.stop()
    }

    /// GET `path` on `process`'s admin port, decoded.
    func admin<T: Decodable>(_ process: ServiceProcess, _ path: String, as type: T.Type) async throws -> T {
        let (status, body) = try await process.admin(path)
        guard status == 200 else {
            throw TestKitError("GET \(path) on \(process.name) answered \(status): \(String(decoding: body, as: UTF8.self))")
        }
        return try JSONDecoder().decode(T.self, from: body)
    }

    func account(_ id: String) async throws -> AccountView { try await admin(settlement, "/accounts/\(id)", as: AccountView.self) }
    func fundsTotals() async throws -> FundsTotals { try await admin(settlement, "/totals", as: FundsTotals.self) }

    /// Polls `probe` until it holds (the services work asynchronously), or fails with `what`.
    func eventually(_ what: String, timeout: Duration = .seconds(30),
                    _ probe: @Sendable () async throws -> Bool) async throws {
        do {
            try await EcoTestKit.eventually(what, timeout: timeout, probe)
        } catch {
            throw TestKitError("\(error)\nsettlement log:\n\(settlement.logTail())")
        }
    }

    /// Records read from a dead-letter topic (expected: none).
    func deadLetters(of topic: Topic) async throws -> Int {
        let reader = try TopicReader(brokers: broker.brokers, topic: topic.deadLetter, catalogue: PayloadCatalogue([]))
        defer { reader.close() }
        try await Task.sleep(for: .milliseconds(700))
        return reader.records.count
    }

    /// Reads the settlement's SQLite file (read-only, beside the running service).
    func settlementDatabase() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: settlement.dbPath, configuration: configuration)
    }
}

struct AccountView: Decodable, Equatable {
    var accountId: String
    var available: Int64
    var reserved: Int64
    var withdrawable: Int64
    var proceedsToday: Int64
    var funds: Int64
}

struct FundsTotals: Decodable {
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

struct AlarmsView: Decodable {
    struct Alarm: Decodable {
        var code: String
        var tradeId: String?
        var missingLeg: String?
    }

    var total: Int
    var alarms: [Alarm]
}

struct TradeView: Decodable {
    struct Leg: Decodable { var done: Bool }
    var settled: Bool
    var funds: Leg
    var allowances: Leg
    var waitingFor: String?
}

let day16 = CivilDate(year: 2026, month: 7, day: 16)

func buy(_ orderId: String, by account: String, _ quantity: Int64, at price: Int64) -> SubmitOrder {
    SubmitOrder(orderId: orderId, accountId: account, instrument: .cea, side: .buy, method: .listed, quantity: quantity, price: price)
}

func sell(_ orderId: String, by account: String, _ quantity: Int64, at price: Int64) -> SubmitOrder {
    SubmitOrder(orderId: orderId, accountId: account, instrument: .cea, side: .sell, method: .listed, quantity: quantity, price: price)
}

/// A valid power-plant profile with a correct credit code derived from the id.
func plant(_ id: String) -> EntityProfile {
    let digits = String(abs(id.hashValue) % 100_000_000).padding(toLength: 8, withPad: "0", startingAt: 0)
    let code = CreditCode.completing("913501\(digits)000") ?? ""
    return EntityProfile(entityId: id, name: "Power plant \(id)", creditCode: code, sector: .power, district: "jinjiang",
                         nationalETS: true, pilotMarket: nil, vocEmitter: false, greenBenchmark: false,
                         units: [GeneratingUnitSpec(unitId: "U1", category: .coalAbove300MW, capacityMW: 600, cooling: .water)])
}

/// A market participant without emissions.
func investor(_ id: String) -> EntityProfile {
    var profile = plant(id)
    profile.name = "Investor \(id)"
    profile.sector = .investor
    profile.nationalETS = false
    profile.units = []
    return profile
}
