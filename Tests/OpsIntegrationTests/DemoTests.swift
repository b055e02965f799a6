import Contract
import EcoTestKit
import Foundation
import Testing

/// `ecoctl demo --fast` against the four services the test started, its summary checked against
/// their read sides.
@Suite("ecoctl demo", .serialized)
struct DemoTests {
    struct EntityPage: Decodable { var total: Int }

    @Test func theFastDemoSummaryMatchesTheServicesReadSides() async throws {
        let broker = try BrokerFixture()
        defer { broker.stop() }
        var services: [String: ServiceProcess] = [:]
        for name in ["registry", "matching", "settlement", "air-alert"] {
            let process = try ServiceProcess(name, brokers: broker.brokers)
            try process.start()
            services[name] = process
        }
        defer { for process in services.values { process.stop() } }
        for process in services.values { try await process.waitUntilReady() }

        let run = try await ecoctl(["demo", "--fast", "--attach", broker.brokers], timeout: 400)
        #expect(run.status == 0, "\(run.output)")
        let lines = run.stdout.split(separator: "\n").map(String.init).drop { !$0.contains("demo summary") }
        func line(_ label: String) -> String { lines.first { $0.contains(label) } ?? "" }

        let registry = try #require(services["registry"])
        let page = try JSONDecoder().decode(EntityPage.self, from: try await registry.admin("/entities").body)
        #expect(line("entities registered").contains("\(page.total) of \(page.total + 2) sent"), "\(run.stdout)")
        #expect(line("refused with a reason").hasSuffix(" 2"))
        #expect(run.stdout.contains("national-and-pilot-market") && run.stdout.contains("invalid-credit-code"))

        let totals = String(decoding: try await registry.admin("/totals").body, as: UTF8.self)
        #expect(totals.contains("\"balanced\" : true"), "\(totals)")

        let settled = line("trades settled (DvP)")
        let counts = settled.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(counts.count >= 2 && counts[0] == counts[1] && counts[0] > 0, "\(settled)")
        #expect(line("reconciliation").contains("balanced to the fen"))
        #expect(line("  trades  ").contains("block 1") && !line("  trades  ").contains("auction 0"), "\(line("  trades  "))")
        #expect(line("wuhou").contains("AlertIssued(yellow) -> AlertUpgraded(red) -> AlertDowngraded(yellow) -> AlertLifted"))
        #expect(line("jinjiang").contains("no warning"))
        let airAlert = try #require(services["air-alert"])
        let alerts = String(decoding: try await airAlert.admin("/districts").body, as: UTF8.self)
        #expect(alerts.contains("chenghua"))

        // The cross-service invariants hold after the demo ...
        let endpoints = "registry=127.0.0.1:\(registry.adminPort),settlement=127.0.0.1:\(try #require(services["settlement"]).adminPort)"
        let reconciled = try await ecoctl(["reconcile", "--services", endpoints], brokers: broker.brokers)
        #expect(reconciled.status == 0, "\(reconciled.output)")
        #expect(reconciled.stdout.contains("reconciliation passed"))
        #expect(!reconciled.stdout.contains("BREAK"))

        // ... and a trade that no service delivered or paid is reported as a break, exit 1.
        let writer = try TopicWriter(brokers: broker.brokers)
        defer { writer.close() }
        let phantom = TradeExecuted(tradeId: "PHANTOM-1", instrument: .cea, method: .listed, price: 5_800, quantity: 10,
                                    buyOrderId: "X-BUY", sellOrderId: "X-SELL", buyerAccountId: "PWR-0001",
                                    sellerAccountId: "PWR-0002", executedAt: .now())
        try await writer.send(phantom, to: .matchingEvents)
        let broken = try await ecoctl(["reconcile", "--services", endpoints], brokers: broker.brokers)
        #expect(broken.status == 1, "\(broken.output)")
        #expect(broken.stdout.contains("BREAK every trade delivered exactly once"))
    }
}
