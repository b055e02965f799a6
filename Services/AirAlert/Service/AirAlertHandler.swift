import AirAlertDomain
import Contract
import Foundation
import GRDB
import ServiceRuntime
import Store

/// The air-alert service's wiring (DESIGN.md sections 1 and 4): `air.observations` (readings,
/// forecasts, city orders) and `registry.events` (the enterprises) in, `air.alerts` out.
///
/// Everything it knows lives in its SQLite file and is read per record, except each station's
/// newest hour (`StationSlots`), which `restore` reloads from the file whenever the runtime
/// starts or rolls a batch back, and the horizon of the last pruning (`StationHourRetention`).
public struct AirAlertHandler: EventHandler {
    public let serviceName = "air-alert"
    public let inputTopics: [Topic] = [.airObservations, .registryEvents]
    public let rejectionTopic: Topic = .airAlerts
    /// The registry's trading traffic: air-alert keeps only which enterprise sits where.
    public let ignoredInputs: [Topic: Set<EventType>] = [
        .registryEvents: [AllowancesFrozen.eventType, AllowancesUnfrozen.eventType, FreezeRejected.eventType,
                          AllowancesTransferred.eventType],
    ]
    /// Readings, forecasts and orders are hourly business, and most of what arrives on
    /// `registry.events` is ignored: a fetch parked up to 100 ms (not the runtime's 10) costs an
    /// alert at most about a tenth of a second, and takes from the broker a fifth as many fetches,
    /// CPU the order saga on the same broker needs (BENCHMARKS.md, session 14).
    public let consumerProperties = ["fetch.wait.max.ms": "200"]
    /// Every type of both input topics: the registry's events other than the entity ones are
    /// read and ignored, not dead-lettered as unknown.
    public let catalogue = PayloadCatalogue(
        PayloadCatalogue.routes.filter { [Topic.airObservations, .registryEvents].contains($0.topic) }.flatMap(\.types))
    public let configuration: AirAlertConfiguration
    let observations: ObservationIngest
    let desk: WarningDesk

    public init(configuration: AirAlertConfiguration = AirAlertConfiguration()) {
        self.configuration = configuration
        let lifecycle = configuration.rules.lifecycle
        observations = ObservationIngest(rules: configuration.rules.observations, standards: lifecycle.standards,
                                         utcOffsetSeconds: lifecycle.utcOffsetSeconds,
                                         retention: StationHourRetention(days: configuration.observationRetentionDays))
        desk = WarningDesk(lifecycle: lifecycle, publisher: DecisionPublisher(measures: configuration.measures))
    }

    public func migrate(_ migrator: inout DatabaseMigrator) {
        AirAlertSchema.register(in: &migrator)
    }

    public func restore(from store: EventStoreReader) throws {
        try store.read(observations.slots.load)
        observations.retention.reset()
    }

    public func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        // A type of the other input topic is refused: it was published where it does not travel.
        guard PayloadCatalogue.catalogue(of: context.topic).contains(event.type) else {
            throw RecordRefused(code: "wrong-topic", reason: "\(event.type) does not travel on \(context.topic)")
        }
        switch event.payload {
        case let reading as AirQualityObserved:
            try observations.apply(reading, context: &context)
        case let forecast as AirQualityForecast:
            try desk.apply(forecast, context: &context)
        case let order as SetCityAlertLevel:
            try desk.apply(order, context: &context)
        default:
            if let district = try EnterpriseProjection.apply(event.payload, db: context.db, at: context.now) {
                try desk.districtAppeared(district, context: &context)
            }
        }
    }

    public func adminRoutes(store: EventStoreReader) -> [AdminRoute] {
        AirAlertReadSide(store: store, lifecycle: configuration.rules.lifecycle).routes
    }
}
