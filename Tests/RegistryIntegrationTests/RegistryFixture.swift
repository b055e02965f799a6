import Contract
import EcoTestKit
import Foundation
import GRDB
import RegistryDomain

/// A broker, a registry process, a writer to `registry.commands` and readers of its outputs.
final class RegistryFixture: @unchecked Sendable {
    let broker: BrokerFixture
    let registry: ServiceProcess
    let writer: TopicWriter
    let events: TopicReader
    let deadLetters: TopicReader

    init(extraArguments: [String] = []) async throws {
        broker = try BrokerFixture()
        registry = try ServiceProcess("registry", brokers: broker.brokers, extraArguments: extraArguments)
        try registry.start()
        try await registry.waitUntilReady()
        writer = try TopicWriter(brokers: broker.brokers)
        events = try TopicReader(brokers: broker.brokers, topic: .registryEvents, catalogue: .registryEvents)
        deadLetters = try TopicReader(brokers: broker.brokers, topic: Topic.registryCommands.deadLetter, catalogue: .registryCommands)
    }

    func stop() {
        events.close()
        deadLetters.close()
        writer.close()
        registry.stop()
        broker.stop()
    }

    /// Reads the registry's SQLite file (read-only, beside the running service).
    func database() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: registry.dbPath, configuration: configuration)
    }

    func entityCount() throws -> Int { try count("SELECT COUNT(*) FROM entities") }

    /// The single integer a counting query returns.
    func count(_ sql: String) throws -> Int {
        try database().read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }
}

/// A valid profile with a correct credit code derived from the id.
func plant(_ id: String, name: String = "Power plant", pilotMarket: String? = nil, creditCode: String? = nil) -> EntityProfile {
    let digits = String(abs(id.hashValue) % 100_000_000).padding(toLength: 8, withPad: "0", startingAt: 0)
    let code = creditCode ?? CreditCode.completing("913501\(digits)000")!
    return EntityProfile(entityId: id, name: name, creditCode: code, sector: .power, district: "jinjiang", nationalETS: true,
                         pilotMarket: pilotMarket, vocEmitter: false, greenBenchmark: false,
                         units: [GeneratingUnitSpec(unitId: "U1", category: .coalAbove300MW, capacityMW: 600, cooling: .water)])
}
