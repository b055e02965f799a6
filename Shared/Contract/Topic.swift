/// A Kafka topic of the catalogue in DESIGN.md section 4.
///
/// The names are part of the binding contract: add topics, never rename them.
public struct Topic: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ name: String) { self.rawValue = name }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    /// Where the consumer of this topic puts the records it could not decode or validate.
    public var deadLetter: Topic { Topic("\(rawValue).dlq") }
    public var isDeadLetter: Bool { rawValue.hasSuffix(".dlq") }

    public static let registryCommands: Topic = "registry.commands"
    public static let registryEvents: Topic = "registry.events"
    public static let marketOrders: Topic = "market.orders"
    public static let matchingEvents: Topic = "matching.events"
    public static let settlementCommands: Topic = "settlement.commands"
    public static let settlementEvents: Topic = "settlement.events"
    public static let airObservations: Topic = "air.observations"
    public static let airAlerts: Topic = "air.alerts"
}

/// How a topic is provisioned: partition count, what its key is, who writes and reads it.
public struct TopicSpec: Sendable, Hashable {
    public var topic: Topic
    public var partitions: Int
    public var key: String
    public var writers: [String]
    public var readers: [String]

    /// Every topic of the contract with its dead-letter companion, in catalogue order.
    public static let catalogue: [TopicSpec] = {
        let primary: [TopicSpec] = [
            TopicSpec(topic: .registryCommands, partitions: 3, key: "entityId", writers: ["ops", "outside systems"], readers: ["registry"]),
            TopicSpec(topic: .registryEvents, partitions: 3, key: "entityId", writers: ["registry"], readers: ["matching", "settlement", "air-alert"]),
            TopicSpec(topic: .marketOrders, partitions: 3, key: "instrument", writers: ["participants", "ops"], readers: ["matching", "registry", "settlement"]),
            TopicSpec(topic: .matchingEvents, partitions: 3, key: "instrument", writers: ["matching"], readers: ["registry", "settlement"]),
            TopicSpec(topic: .marketDepth, partitions: 3, key: "instrument", writers: ["matching"], readers: ["ops", "market data"]),
            TopicSpec(topic: .settlementCommands, partitions: 3, key: "accountId", writers: ["ops", "banks"], readers: ["settlement"]),
            TopicSpec(topic: .settlementEvents, partitions: 3, key: "accountId", writers: ["settlement"], readers: ["matching"]),
            TopicSpec(topic: .airObservations, partitions: 3, key: "district", writers: ["monitoring network", "forecasters"], readers: ["air-alert"]),
            TopicSpec(topic: .airAlerts, partitions: 3, key: "district", writers: ["air-alert"], readers: ["enterprises", "ops"]),
        ]
        return primary.flatMap { spec in
            [spec, TopicSpec(topic: spec.topic.deadLetter, partitions: 1, key: "as source",
                             writers: spec.readers, readers: ["ops"])]
        }
    }()
}
