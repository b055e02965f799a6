import Contract
import EcoTestKit
import Foundation
import Testing

/// `ecoctl demo --fast` against services the test started, its summary checked against their read sides.
@Suite("ecoctl demo", .serialized)
struct DemoTests {
    struct EntityPage: Decodable { var total: Int }

    @Test func theFastDemoSummaryMatchesTheRegistryReadSide() async throws {
        let broker = try BrokerFixture()
        defer { broker.stop() }
        let registry = try ServiceProcess("registry", brokers: broker.brokers)
        try registry.start()
        defer { registry.stop() }
        try await registry.waitUntilReady()
        let run = try await ecoctl(["demo", "--fast", "--attach", broker.brokers], timeout: 300)
        #expect(run.status == 0, "\(run.output)")
        let (_, body) = try await registry.admin("/entities")
        let page = try JSONDecoder().decode(EntityPage.self, from: body)
        let line = run.stdout.split(separator: "\n").first { $0.contains("entities registered") }
        #expect(line?.contains("\(page.total) of \(page.total + 2) sent") == true, "\(run.stdout)")
        #expect(run.stdout.contains("refused with a reason        2"))
        #expect(run.stdout.contains("national-and-pilot-market"))
        #expect(run.stdout.contains("invalid-credit-code"))
    }
}
