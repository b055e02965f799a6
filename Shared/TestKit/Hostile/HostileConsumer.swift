import Contract

/// A service that consumes topics, as far as the corpus needs to know it: what it reads, which
/// types it decodes (every type of every topic it reads) and where its `CommandRejected` goes.
///
/// This mirrors each service's `EventHandler` (`inputTopics`, `catalogue`, `rejectionTopic`);
/// the test kit cannot import the services, and the reliability tests check the two agree by
/// observing the answers of the running executables.
public struct HostileConsumer: Sendable, Hashable {
    public var name: String
    public var inputTopics: [Topic]
    public var rejectionTopic: Topic

    public init(name: String, inputTopics: [Topic], rejectionTopic: Topic) {
        self.name = name; self.inputTopics = inputTopics; self.rejectionTopic = rejectionTopic
    }

    public static let registry = HostileConsumer(name: "registry", inputTopics: [.registryCommands, .marketOrders, .matchingEvents],
                                                 rejectionTopic: .registryEvents)
    public static let matching = HostileConsumer(name: "matching", inputTopics: [.marketOrders, .registryEvents, .settlementEvents],
                                                 rejectionTopic: .matchingEvents)
    public static let settlement = HostileConsumer(name: "settlement",
                                                   inputTopics: [.settlementCommands, .marketOrders, .matchingEvents, .registryEvents],
                                                   rejectionTopic: .settlementEvents)
    public static let airAlert = HostileConsumer(name: "air-alert", inputTopics: [.airObservations, .registryEvents],
                                                 rejectionTopic: .airAlerts)

    public static let all: [HostileConsumer] = [.registry, .matching, .settlement, .airAlert]

    /// The consumers of `topic`.
    public static func readers(of topic: Topic) -> [HostileConsumer] { all.filter { $0.inputTopics.contains(topic) } }

    /// Every topic some service consumes: where hostile records can be sent.
    public static var inputTopics: [Topic] {
        [.registryCommands, .registryEvents, .marketOrders, .matchingEvents, .settlementCommands, .settlementEvents,
         .airObservations]
    }

    /// True when the consumer decodes `type` (so a readable but invalid record of it is also
    /// answered with `CommandRejected`, not only dead-lettered).
    public func understands(_ type: EventType) -> Bool {
        inputTopics.contains { PayloadCatalogue.catalogue(of: $0).contains(type) }
    }
}
