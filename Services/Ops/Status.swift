import ArgumentParser
import Contract
import EcoTestKit
import Foundation
import Kafka

/// Health, readiness, lag and dead letters of every service, in one table.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each service's health, readiness, consumer lag and dead-letter counts.")
    @OptionGroup var broker: BrokerOptions
    @Option(help: "Admin endpoints as name=host:port, comma-separated (env ECO_ADMIN_ENDPOINTS; default registry=127.0.0.1:8081,matching=127.0.0.1:8082,settlement=127.0.0.1:8083,air-alert=127.0.0.1:8084).")
    var services: String?
    @Flag(help: "Skip counting dead letters on the broker.") var noDeadLetters = false

    func run() async throws {
        let endpoints = try ServiceEndpoints.parse(services ?? ProcessInfoEnvironment.value("ECO_ADMIN_ENDPOINTS") ?? ServiceEndpoints.defaults)
        var rows: [[String]] = [["service", "health", "ready", "in", "out", "dead", "dup", "rejected", "outbox", "lag", "fault"]]
        for endpoint in endpoints {
            rows.append(await Self.row(for: endpoint))
        }
        print(Table(rows).render())
        guard !noDeadLetters else { return }
        print("")
        var letters: [[String]] = [["dead-letter topic", "records"]]
        for spec in TopicSpec.catalogue where spec.topic.isDeadLetter {
            let count = (try? DeadLetterReader(brokers: broker.resolved, topic: spec.topic.rawValue).readAll(timeoutMs: 1500).count)
            letters.append([spec.topic.rawValue, count.map(String.init) ?? "unreachable"])
        }
        print(Table(letters).render())
    }

    static func row(for endpoint: ServiceEndpoint) async -> [String] {
        guard let (healthCode, _) = try? await AdminClient.get(port: endpoint.port, path: "/healthz", host: endpoint.host) else {
            return [endpoint.name, "down", "-", "-", "-", "-", "-", "-", "-", "-", "no answer at \(endpoint.host):\(endpoint.port)"]
        }
        // `/readyz` answers 503 while not ready, with the same body: the service's own verdict and
        // its status.
        guard let (_, body) = try? await AdminClient.get(port: endpoint.port, path: "/readyz", host: endpoint.host),
              let readiness = try? JSONDecoder().decode(ReadinessBody.self, from: body) else {
            return [endpoint.name, healthCode == 200 ? "ok" : "HTTP \(healthCode)", "?", "-", "-", "-", "-", "-", "-", "-", "no /readyz"]
        }
        let status = readiness.status
        let lag = status.lag.values.reduce(0) { $0 + max(0, $1) }
        let fault = status.storageFault ?? status.brokerFault ?? status.publishFault ?? status.offsetFault ?? ""
        return [endpoint.name, healthCode == 200 ? "ok" : "HTTP \(healthCode)", readiness.ready ? "yes" : "no",
                String(status.recordsIn), String(status.recordsOut), String(status.deadLettered), String(status.duplicates),
                String(status.rejected), String(status.outboxPending), String(lag), String(fault.prefix(60))]
    }
}

/// A service's `/readyz` body: whether it is ready, by its own rule, and its status.
struct ReadinessBody: Decodable {
    var ready: Bool
    var status: StatusBody
}

/// The fields of a service's status that the table shows.
struct StatusBody: Decodable {
    var storageFault: String?
    var brokerFault: String?
    var publishFault: String?
    var offsetFault: String?
    var lag: [String: Int64]
    var recordsIn: Int64
    var recordsOut: Int64
    var deadLettered: Int64
    var duplicates: Int64
    var rejected: Int64
    var outboxPending: Int64
}

struct ServiceEndpoint {
    var name: String
    var host: String
    var port: Int
}

enum ServiceEndpoints {
    static let defaults = "registry=127.0.0.1:8081,matching=127.0.0.1:8082,settlement=127.0.0.1:8083,air-alert=127.0.0.1:8084"

    static func parse(_ text: String) throws -> [ServiceEndpoint] {
        try text.split(separator: ",").map { item in
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("'\(item)' is not name=host:port") }
            let address = parts[1].split(separator: ":")
            guard address.count == 2, let port = Int(address[1]), (1...65535).contains(port) else {
                throw ValidationError("'\(parts[1])' is not host:port")
            }
            return ServiceEndpoint(name: String(parts[0]), host: String(address[0]), port: port)
        }
    }
}

/// A plain text table with aligned columns.
struct Table {
    var rows: [[String]]
    init(_ rows: [[String]]) { self.rows = rows }

    func render() -> String {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in
            rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
