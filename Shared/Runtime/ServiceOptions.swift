import ArgumentParser
import Foundation
import Logging

/// The flags every service takes. Each falls back to an environment variable (for containers)
/// and then to a default that works on a developer's machine.
public struct ServiceOptions: ParsableArguments, Sendable {
    @Option(help: "Kafka bootstrap servers, host:port[,host:port] (env ECO_BROKERS; default 127.0.0.1:9092).")
    public var brokers: String?

    @Option(help: "Path of the service's SQLite file (env ECO_DB; default ./<service>.sqlite).")
    public var db: String?

    @Option(name: .customLong("admin-port"), help: "Port of the admin HTTP server (env ECO_ADMIN_PORT).")
    public var adminPort: Int?

    @Option(name: .customLong("admin-host"), help: "Address the admin server binds (env ECO_ADMIN_HOST; default 127.0.0.1).")
    public var adminHost: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env ECO_LOG_LEVEL; default info).")
    public var logLevel: String?

    @Option(name: .customLong("batch-size"), help: "Records applied per SQLite transaction at most (env ECO_BATCH_SIZE; default 5000).")
    public var batchSize: Int?

    @Option(name: .customLong("inbox-retention-hours"),
            help: "How long an applied event id is still recognised as a duplicate (env ECO_INBOX_RETENTION_HOURS; default 168).")
    public var inboxRetentionHours: Int?

    @Option(name: .customLong("kafka-property"),
            help: "A librdkafka property for the consumer and producer, key=value; repeatable (env ECO_RDKAFKA_<KEY> with dots as underscores, e.g. ECO_RDKAFKA_FETCH_WAIT_MAX_MS=10).")
    public var kafkaProperty: [String] = []

    public init() {}

    /// The settings after flags, environment and defaults are combined.
    public struct Resolved: Sendable {
        public var brokers: String
        public var db: String
        public var adminHost: String
        public var adminPort: Int
        public var logLevel: Logger.Level
        public var batchSize: Int
        public var inboxRetentionHours: Int
        /// librdkafka properties given by the operator; the flag wins over the environment.
        public var kafkaProperties: [String: String]
    }

    public func resolve(service: String, defaultAdminPort: Int,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Resolved {
        let levelText = logLevel ?? environment["ECO_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw ValidationError("--log-level '\(levelText)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        let portText = adminPort.map(String.init) ?? environment["ECO_ADMIN_PORT"] ?? String(defaultAdminPort)
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("--admin-port '\(portText)' is not a port number (0-65535)")
        }
        let batchText = batchSize.map(String.init) ?? environment["ECO_BATCH_SIZE"] ?? "5000"
        guard let batch = Int(batchText), (1...100_000).contains(batch) else {
            throw ValidationError("--batch-size '\(batchText)' must be a whole number from 1 to 100000")
        }
        let retentionText = inboxRetentionHours.map(String.init) ?? environment["ECO_INBOX_RETENTION_HOURS"] ?? "168"
        guard let retention = Int(retentionText), (1...87_600).contains(retention) else {
            throw ValidationError("--inbox-retention-hours '\(retentionText)' must be a whole number of hours from 1 to 87600")
        }
        var properties: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix("ECO_RDKAFKA_") && name.count > 12 {
            properties[name.dropFirst(12).lowercased().replacingOccurrences(of: "_", with: ".")] = value
        }
        for pair in kafkaProperty {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--kafka-property '\(pair)' must be key=value, e.g. fetch.wait.max.ms=10")
            }
            properties[String(parts[0])] = String(parts[1])
        }
        let brokers = brokers ?? environment["ECO_BROKERS"] ?? "127.0.0.1:9092"
        guard !brokers.isEmpty, brokers.split(separator: ",").allSatisfy({ $0.contains(":") }) else {
            throw ValidationError("--brokers '\(brokers)' must be host:port[,host:port]")
        }
        return Resolved(brokers: brokers, db: db ?? environment["ECO_DB"] ?? "./\(service).sqlite",
                        adminHost: adminHost ?? environment["ECO_ADMIN_HOST"] ?? "127.0.0.1",
                        adminPort: port, logLevel: level, batchSize: batch,
                        inboxRetentionHours: retention, kafkaProperties: properties)
    }
}
