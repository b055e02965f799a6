import Contract
import Testing

/// Which types travel on which topic (DESIGN.md section 4, "Topics", plus the additions).
@Suite("Catalogue")
struct CatalogueTests {
    static let expected: [Topic: Set<EventType>] = [
        .registryCommands: ["RegisterEntity", "UpdateEntity", "DeregisterEntity", "RecordUnitOutput",
                            "AllocateAllowances", "SubmitVerifiedEmissions", "SurrenderAllowances", "AssessCompliance",
                            "IssueOffsets"],
        .registryEvents: ["EntityRegistered", "EntityUpdated", "EntityDeregistered", "AllowancesAllocated",
                          "AllowancesFrozen", "FreezeRejected", "AllowancesUnfrozen", "AllowancesTransferred",
                          "EmissionsVerified", "AllowancesSurrendered", "ComplianceAssessed", "CommandRejected",
                          "UnitOutputRecorded", "OffsetsIssued"],
        .marketOrders: ["SubmitOrder", "CancelOrder", "OpenSession", "CloseSession", "SetTradingPhase", "CloseAuction"],
        .marketDepth: ["MarketDepthUpdated"],
        .matchingEvents: ["OrderAccepted", "OrderRejected", "OrderCancelled", "OrderExpired", "TradeExecuted",
                          "SessionOpened", "SessionClosed", "CommandRejected"],
        .settlementCommands: ["DepositFunds", "WithdrawFunds"],
        .settlementEvents: ["FundsDeposited", "FundsWithdrawn", "FundsReserved", "ReserveRejected", "FundsReleased",
                            "TradeSettled", "StatementIssued", "CommandRejected", "SettlementAlarm",
                            "ReconciliationCompleted", "StatementContinued"],
        .airObservations: ["AirQualityObserved", "AirQualityForecast", "SetCityAlertLevel"],
        .airAlerts: ["AlertIssued", "AlertUpgraded", "AlertDowngraded", "AlertLifted", "ControlDirectiveIssued",
                     "CommandRejected", "AlertRevised", "ControlDirectiveWithdrawn"],
    ]

    static let named: [(Topic, PayloadCatalogue)] = [
        (.registryCommands, .registryCommands), (.registryEvents, .registryEvents), (.marketOrders, .marketOrders),
        (.matchingEvents, .matchingEvents), (.settlementCommands, .settlementCommands),
        (.settlementEvents, .settlementEvents), (.airObservations, .airObservations), (.airAlerts, .airAlerts),
        (.marketDepth, PayloadCatalogue.catalogue(of: .marketDepth)),
    ]

    @Test("each topic's catalogue holds exactly the types the topic table lists")
    func topicCataloguesMatchTheTopicTable() {
        for (topic, catalogue) in Self.named {
            #expect(Set(catalogue.eventTypes) == Self.expected[topic], "\(topic)")
            #expect(Set(PayloadCatalogue.catalogue(of: topic).eventTypes) == Self.expected[topic], "\(topic)")
        }
    }

    @Test("every primary topic of the provisioning table has a catalogue")
    func everyProvisionedTopicHasACatalogue() {
        let primary = TopicSpec.catalogue.map(\.topic).filter { !$0.isDeadLetter }
        #expect(Set(primary) == Set(PayloadCatalogue.routes.map(\.topic)))
    }

    @Test("the catalogue of everything is the union of the topics' catalogues")
    func allIsTheUnion() {
        let union = Self.expected.values.reduce(Set<EventType>()) { $0.union($1) }
        #expect(Set(PayloadCatalogue.all.eventTypes) == union)
    }

    @Test("every type but CommandRejected is published on exactly one topic")
    func eachTypeHasOneHome() {
        for (topic, types) in Self.expected {
            for type in types where type != CommandRejected.eventType {
                #expect(PayloadCatalogue.topic(of: type) == topic, "\(type)")
            }
        }
    }

    @Test("CommandRejected goes to the event topic of each service that refuses commands")
    func commandRejectedTopics() {
        #expect(PayloadCatalogue.topics(of: CommandRejected.eventType)
                == [.registryEvents, .matchingEvents, .settlementEvents, .airAlerts])
        #expect(PayloadCatalogue.topic(of: CommandRejected.eventType) == nil)
    }

    @Test("an order refused by matching travels as OrderRejected on matching.events")
    func orderRejectedIsMatchings() {
        #expect(PayloadCatalogue.topic(of: OrderRejected.eventType) == .matchingEvents)
    }

    @Test("a type outside the contract has no topic and a dead-letter topic has no catalogue")
    func unknownTypeAndDeadLetters() {
        #expect(PayloadCatalogue.topic(of: "Teleport") == nil)
        #expect(PayloadCatalogue.catalogue(of: Topic.marketOrders.deadLetter).eventTypes.isEmpty)
    }

    @Test("a type read from the wrong topic is refused as unknown-type")
    func wrongTopicIsUnknownType() {
        let failure = Wire.failure(Wire.encode(Samples.submitOrder), catalogue: .registryCommands)
        #expect(failure?.error.code == "unknown-type")
    }
}
