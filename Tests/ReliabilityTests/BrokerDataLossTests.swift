import Contract
import EcoTestKit
import Foundation
import Testing

/// A broker restarted without its data (the local Tansu keeps its logs in memory) while a
/// service keeps its SQLite file: the service must say it is not ready and why, not take every
/// new record for one it already applied.
@Suite("A broker that lost its data", .serialized)
struct BrokerDataLossTests {
    struct Status: Decodable {
        var recordsIn: Int64
        var offsetFault: String?
    }

    @Test func aServiceWhoseBrokerCameBackEmptyIsNotReadyAndSaysWhy() async throws {
        var broker = try BrokerFixture()
        let port = broker.port
        let registry = try ServiceProcess("registry", brokers: broker.brokers)
        try registry.start()
        defer { registry.stop() }
        try await registry.waitUntilReady()
        let writer = try TopicWriter(brokers: broker.brokers)
        for index in 0..<30 {
            let profile = EntityProfile(entityId: "LOSS-\(index)", name: "Plant \(index)", creditCode: "91350100M000100Y43",
                                        sector: .power, district: "jinjiang", nationalETS: true, vocEmitter: false,
                                        greenBenchmark: false,
                                        units: [GeneratingUnitSpec(unitId: "U1", category: .gas, capacityMW: 300, cooling: .water)])
            _ = try await writer.send(RegisterEntity(profile), to: .registryCommands)
        }
        writer.close()
        try await waitFor("the registry applied the 30 commands") { try await status(registry).recordsIn >= 30 }
        #expect(try await status(registry).offsetFault == nil)

        broker.stop()
        broker = try BrokerFixture(port: port)
        defer { broker.stop() }
        try await waitFor("the registry reported the lost log") { try await status(registry).offsetFault != nil }
        let fault = try await status(registry).offsetFault ?? ""
        #expect(fault.contains("registry.commands"), "\(fault)")
        #expect(fault.contains("below the stored offset"), "\(fault)")
        let (ready, body) = try await registry.admin("/readyz")
        #expect(ready == 503, "\(String(decoding: body, as: UTF8.self))")
    }

    private func status(_ service: ServiceProcess) async throws -> Status {
        let (code, body) = try await service.admin("/status")
        guard code == 200 else { throw TestKitError("/status answered \(code)") }
        return try JSONDecoder().decode(Status.self, from: body)
    }

    private func waitFor(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestKitError("timed out waiting until \(what)")
    }
}
