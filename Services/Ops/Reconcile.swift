import ArgumentParser
import Contract
import EcoTestKit
import Foundation

/// Checks the cross-service invariants of DESIGN.md: each service's own books balance, every
/// trade was delivered and paid exactly once, and what matching traded is what the registry
/// moved and settlement paid.
struct Reconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check allowances vs trades vs settlements vs funds across the services; exit 1 on any break.")
    @OptionGroup var broker: BrokerOptions
    @Option(help: "Admin endpoints as name=host:port (env ECO_ADMIN_ENDPOINTS; default the local ports).")
    var services: String?
    @Option(help: "Seconds to wait for the topics to go quiet before reading them.") var quietSeconds: Double = 1

    func run() async throws {
        let endpoints = try ServiceEndpoints.parse(services ?? ProcessInfoEnvironment.value("ECO_ADMIN_ENDPOINTS") ?? ServiceEndpoints.defaults)
        var report = ReconciliationReport()
        for name in ["registry", "settlement"] {
            guard let endpoint = endpoints.first(where: { $0.name == name }) else { continue }
            do {
                let (status, body) = try await AdminClient.get(port: endpoint.port, path: "/totals", host: endpoint.host)
                let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
                let balanced = status == 200 && (object?["balanced"] as? Bool ?? false)
                report.check("\(name) books balance (/totals)", balanced,
                             detail: balanced ? nil : "problems: \(object?["problems"] ?? "HTTP \(status)")")
            } catch {
                report.check("\(name) reachable at \(endpoint.host):\(endpoint.port)", false, detail: "\(error)")
            }
        }
        let trades = try TopicSnapshot.read(brokers: broker.resolved, topic: .matchingEvents, quietSeconds: quietSeconds)
            .payloads(TradeExecuted.self)
        let transfers = try TopicSnapshot.read(brokers: broker.resolved, topic: .registryEvents, quietSeconds: quietSeconds)
            .payloads(AllowancesTransferred.self)
        let settled = try TopicSnapshot.read(brokers: broker.resolved, topic: .settlementEvents, quietSeconds: quietSeconds)
            .payloads(TradeSettled.self)
        let tradeIds = Set(trades.map(\.tradeId))
        report.check("every trade id is unique on matching.events (one event id per trade)", tradeIds.count == trades.count,
                     detail: "\(trades.count) TradeExecuted events for \(tradeIds.count) trade ids")
        let transferred = Dictionary(grouping: transfers, by: \.tradeId)
        report.check("every trade delivered exactly once (AllowancesTransferred)",
                     Set(transferred.keys) == tradeIds && transferred.values.allSatisfy { $0.count == 1 },
                     detail: "trades \(tradeIds.count), delivered \(transferred.count), missing \(tradeIds.subtracting(transferred.keys).sorted().prefix(5))")
        let paid = Dictionary(grouping: settled, by: \.tradeId)
        report.check("every trade settled exactly once (TradeSettled)",
                     Set(paid.keys) == tradeIds && paid.values.allSatisfy { $0.count == 1 },
                     detail: "trades \(tradeIds.count), settled \(paid.count), missing \(tradeIds.subtracting(paid.keys).sorted().prefix(5))")
        let tradedTonnes = trades.reduce(Int64(0)) { $0 + $1.quantity }
        let deliveredTonnes = transferred.values.reduce(Int64(0)) { $0 + ($1.first?.quantity ?? 0) }
        report.check("tonnes traded = tonnes delivered", tradedTonnes == deliveredTonnes,
                     detail: "\(tradedTonnes) t traded, \(deliveredTonnes) t delivered")
        let tradedValue = trades.reduce(Int64(0)) { $0 + $1.price * $1.quantity }
        let paidValue = paid.values.reduce(Int64(0)) { $0 + ($1.first?.value ?? 0) }
        report.check("value traded = value paid (fen)", tradedValue == paidValue, detail: "\(tradedValue) traded, \(paidValue) paid")
        print(report.render())
        if !report.passed { throw ExitCode(1) }
    }
}

/// The outcome of each check, printed as a list.
struct ReconciliationReport {
    private(set) var lines: [String] = []
    private(set) var passed = true

    mutating func check(_ name: String, _ ok: Bool, detail: String? = nil) {
        lines.append("\(ok ? "ok   " : "BREAK") \(name)\(ok || detail == nil ? "" : ": \(detail ?? "")")")
        if !ok { passed = false }
    }

    func render() -> String { (lines + [passed ? "reconciliation passed" : "reconciliation FAILED"]).joined(separator: "\n") }
}

/// Every record of a topic up to the moment it went quiet, decoded with the contract.
struct TopicSnapshot {
    var reader: TopicReader

    static func read(brokers: String, topic: Topic, quietSeconds: Double) throws -> TopicSnapshot {
        let reader = try TopicReader(brokers: brokers, topic: topic, catalogue: PayloadCatalogue.catalogue(of: topic))
        var last = -1
        var quietSince = Date()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            let count = reader.records.count
            if count != last { last = count; quietSince = Date() }
            if Date().timeIntervalSince(quietSince) >= quietSeconds { break }
        }
        reader.close()
        return TopicSnapshot(reader: reader)
    }

    /// One payload per event id: a copy re-published after a crash is the same event.
    func payloads<P: EventPayload>(_ type: P.Type) -> [P] { reader.distinctPayloads(type) }
}
