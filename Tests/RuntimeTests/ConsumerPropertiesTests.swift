import Contract
import Foundation
import GRDB
import Logging
@testable import ServiceRuntime
import Store
import Testing

/// A handler that prefers a long fetch wait, as a service off the order path does.
private struct PatientHandler: EventHandler {
    let serviceName = "patient"
    let inputTopics: [Topic] = [.registryEvents]
    let rejectionTopic: Topic = .registryEvents
    let catalogue = PayloadCatalogue([EntityRegistered.self])
    let consumerProperties = ["fetch.wait.max.ms": "200", "fetch.min.bytes": "1"]
    func migrate(_ migrator: inout DatabaseMigrator) {}
    func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws {}
}

@Suite("A handler's consumer properties")
struct ConsumerPropertiesTests {
    func loop(_ handler: some EventHandler, properties: [String: String] = [:]) throws -> ServiceLoop {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("patient-\(UUID().uuidString).sqlite").path
        let store = try EventStore(path: path, migrations: handler.migrate)
        var options = RuntimeOptions(brokers: "127.0.0.1:1")
        options.kafkaProperties = properties
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return ServiceLoop(handler: handler, store: store, options: options, logger: logger)
    }

    /// The handler's preferences reach its consumer (and nothing else of the runtime's changes).
    @Test func theHandlersPreferencesReachTheConsumer() throws {
        let kafka = try loop(PatientHandler()).consumerConfiguration
        #expect(kafka["fetch.wait.max.ms"] == "200")
        #expect(kafka["fetch.min.bytes"] == "1")
        #expect(kafka["client.id"] == "patient-consumer")
        #expect(kafka.brokers == "127.0.0.1:1")
    }

    /// What the operator gives (`--kafka-property`, `ECO_RDKAFKA_*`) wins over the handler.
    @Test func theOperatorsPropertiesWin() throws {
        let kafka = try loop(PatientHandler(), properties: ["fetch.wait.max.ms": "5"]).consumerConfiguration
        #expect(kafka["fetch.wait.max.ms"] == "5")
        #expect(kafka["fetch.min.bytes"] == "1")
    }

    /// A handler without preferences leaves the consumer's defaults to `KafkaConsumer`.
    @Test func noPreferencesLeaveTheDefaults() throws {
        let kafka = try loop(IgnoringHandler()).consumerConfiguration
        #expect(kafka["fetch.wait.max.ms"] == nil)
    }
}
