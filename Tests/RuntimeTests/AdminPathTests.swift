@testable import ServiceRuntime
import Testing

@Suite("Admin routes")
struct AdminPathTests {
    @Test func braceParametersBecomeRouterParameters() {
        #expect(AdminServer.hummingbirdPath("/entities/{id}/journal") == "/entities/:id/journal")
        #expect(AdminServer.parameterNames("/accounts/{account}/days/{day}") == ["account", "day"])
    }

    @Test func optionsFallBackToEnvironmentThenDefaults() throws {
        let options = try ServiceOptions.parse(["--db", "/tmp/x.sqlite"])
        let resolved = try options.resolve(service: "registry", defaultAdminPort: 8081,
                                           environment: ["ECO_BROKERS": "10.0.0.1:9092", "ECO_LOG_LEVEL": "debug"])
        #expect(resolved.brokers == "10.0.0.1:9092")
        #expect(resolved.db == "/tmp/x.sqlite")
        #expect(resolved.adminPort == 8081)
        #expect(resolved.logLevel == .debug)
    }

    @Test func librdkafkaPropertiesComeFromTheEnvironmentAndTheFlagWins() throws {
        let options = try ServiceOptions.parse(["--kafka-property", "fetch.wait.max.ms=5", "--kafka-property", "linger.ms=1"])
        let resolved = try options.resolve(service: "registry", defaultAdminPort: 8081,
                                           environment: ["ECO_RDKAFKA_FETCH_WAIT_MAX_MS": "50",
                                                         "ECO_RDKAFKA_SOCKET_NAGLE_DISABLE": "true"])
        #expect(resolved.kafkaProperties == ["fetch.wait.max.ms": "5", "linger.ms": "1", "socket.nagle.disable": "true"])
        let unset = try ServiceOptions.parse([]).resolve(service: "registry", defaultAdminPort: 8081, environment: [:])
        #expect(unset.kafkaProperties.isEmpty)
    }

    @Test func badOptionsAreRefusedWithAReason() throws {
        let options = try ServiceOptions.parse(["--admin-port", "70000"])
        #expect(throws: (any Error).self) { try options.resolve(service: "registry", defaultAdminPort: 1, environment: [:]) }
        let brokers = try ServiceOptions.parse(["--brokers", "nohostport"])
        #expect(throws: (any Error).self) { try brokers.resolve(service: "registry", defaultAdminPort: 1, environment: [:]) }
        let property = try ServiceOptions.parse(["--kafka-property", "no-equals-sign"])
        #expect(throws: (any Error).self) { try property.resolve(service: "registry", defaultAdminPort: 1, environment: [:]) }
        let retention = try ServiceOptions.parse(["--inbox-retention-hours", "0"])
        #expect(throws: (any Error).self) { try retention.resolve(service: "registry", defaultAdminPort: 1, environment: [:]) }
    }
}
