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

    @Test func badOptionsAreRefusedWithAReason() throws {
        let options = try ServiceOptions.parse(["--admin-port", "70000"])
        #expect(throws: (any Error).self) { try options.resolve(service: "registry", defaultAdminPort: 1, environment: [:]) }
        let brokers = try ServiceOptions.parse(["--brokers", "nohostport"])
        #expect(throws: (any Error).self) { try brokers.resolve(service: "registry", defaultAdminPort: 1, environment: [:]) }
    }
}
