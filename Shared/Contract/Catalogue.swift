/// Which payload types travel on which topic (DESIGN.md section 4, "Topics").
///
/// A consumer decodes a topic with that topic's catalogue, so a type published on the wrong
/// topic is refused as `unknown-type` instead of being applied by the wrong service.
extension PayloadCatalogue {
    /// Every topic of the contract with the types it carries, in catalogue order.
    ///
    /// `CommandRejected` goes on the event topic of each service that refuses commands with it:
    /// registry, settlement, air-alert (for `SetCityAlertLevel`) and matching (for a cancel of an
    /// unknown order or a session opened twice, refusals that touch no hold; an order's own
    /// refusal is `OrderRejected`).
    public static let routes: [(topic: Topic, types: [any EventPayload.Type])] = [
        (.registryCommands, [RegisterEntity.self, UpdateEntity.self, DeregisterEntity.self, RecordUnitOutput.self,
                             AllocateAllowances.self, SubmitVerifiedEmissions.self, SurrenderAllowances.self,
                             AssessCompliance.self, IssueOffsets.self]),
        (.registryEvents, [EntityRegistered.self, EntityUpdated.self, EntityDeregistered.self,
                           AllowancesAllocated.self, AllowancesFrozen.self, FreezeRejected.self,
                           AllowancesUnfrozen.self, AllowancesTransferred.self, EmissionsVerified.self,
                           AllowancesSurrendered.self, ComplianceAssessed.self, CommandRejected.self,
                           UnitOutputRecorded.self, OffsetsIssued.self]),
        (.marketOrders, [SubmitOrder.self, CancelOrder.self, OpenSession.self, CloseSession.self,
                         SetTradingPhase.self, CloseAuction.self]),
        (.matchingEvents, [OrderAccepted.self, OrderRejected.self, OrderCancelled.self, OrderExpired.self,
                           TradeExecuted.self, SessionOpened.self, SessionClosed.self, CommandRejected.self]),
        (.settlementCommands, [DepositFunds.self, WithdrawFunds.self]),
        (.settlementEvents, [FundsDeposited.self, FundsWithdrawn.self, FundsReserved.self, ReserveRejected.self,
                             FundsReleased.self, TradeSettled.self, StatementIssued.self, CommandRejected.self,
                             SettlementAlarm.self, ReconciliationCompleted.self, StatementContinued.self]),
        (.airObservations, [AirQualityObserved.self, AirQualityForecast.self, SetCityAlertLevel.self]),
        (.airAlerts, [AlertIssued.self, AlertUpgraded.self, AlertDowngraded.self, AlertLifted.self,
                      ControlDirectiveIssued.self, CommandRejected.self,
                      AlertRevised.self, ControlDirectiveWithdrawn.self]),
        (.marketDepth, [MarketDepthUpdated.self]),
    ]

    /// Every payload type of the contract (for tools that read any topic, such as the ops CLI).
    public static let all = PayloadCatalogue(routes.flatMap(\.types))

    public static let registryCommands = catalogue(of: .registryCommands)
    public static let registryEvents = catalogue(of: .registryEvents)
    public static let marketOrders = catalogue(of: .marketOrders)
    public static let matchingEvents = catalogue(of: .matchingEvents)
    public static let settlementCommands = catalogue(of: .settlementCommands)
    public static let settlementEvents = catalogue(of: .settlementEvents)
    public static let airObservations = catalogue(of: .airObservations)
    public static let airAlerts = catalogue(of: .airAlerts)

    /// The types `topic` carries; an empty catalogue for a topic outside the contract. A
    /// dead-letter topic carries raw records, not envelopes to decode, so it has none either.
    ///
    /// Built once per topic: handlers ask on their per-record paths (settlement, for every record
    /// it reads and does not act on, a third of what it reads in the order saga).
    public static func catalogue(of topic: Topic) -> PayloadCatalogue {
        byTopic[topic] ?? PayloadCatalogue([])
    }

    private static let byTopic: [Topic: PayloadCatalogue] = Dictionary(
        routes.map { ($0.topic, PayloadCatalogue($0.types)) }, uniquingKeysWith: { first, _ in first })

    /// The topic `type` is published on, or nil when it is not in the contract or is published
    /// on several (`CommandRejected` goes to the refusing service's event topic: see `topics(of:)`).
    public static func topic(of type: EventType) -> Topic? {
        let found = topics(of: type)
        return found.count == 1 ? found.first : nil
    }

    /// Every topic `type` is published on, in catalogue order.
    public static func topics(of type: EventType) -> [Topic] {
        routes.filter { route in route.types.contains { $0.eventType == type } }.map(\.topic)
    }
}
