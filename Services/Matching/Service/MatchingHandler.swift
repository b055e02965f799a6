import Contract
import Foundation
import GRDB
import MatchingDomain
import ServiceRuntime
import Store

/// The matching service's wiring (DESIGN.md section 4, "The order saga"): orders and session
/// commands from `market.orders`, pre-trade holds from `registry.events` (sells) and
/// `settlement.events` (buys), everything it decides on `matching.events`.
///
/// The engine lives in memory (`EngineHost`); SQLite holds the journal of its inputs and its
/// snapshots, written in the runtime's batch transaction with the inbox, outbox and offsets, and
/// `restore` rebuilds the engine from them before consuming. The engine is pure, so the same
/// inputs give byte-identical events, ids included.
public struct MatchingHandler: EventHandler {
    public let serviceName = "matching"
    public let inputTopics: [Topic] = [.marketOrders, .registryEvents, .settlementEvents]
    public let rejectionTopic: Topic = .matchingEvents
    /// What follows a trade (its delivery and settlement, released funds): matching's part ends
    /// with the trade.
    public let ignoredInputs: [Topic: Set<EventType>] = [
        .registryEvents: [AllowancesTransferred.eventType, AllowancesUnfrozen.eventType],
        .settlementEvents: [TradeSettled.eventType, FundsReleased.eventType],
    ]
    /// Every type of the input topics: those matching does not act on (`EntityRegistered`,
    /// `TradeSettled`, ...) are read and ignored, not dead-lettered.
    public let catalogue: PayloadCatalogue
    public let configuration: MatchingConfiguration
    let host: EngineHost

    public init(configuration: MatchingConfiguration = MatchingConfiguration()) {
        self.configuration = configuration
        self.host = EngineHost(configuration: configuration)
        let topics = inputTopics
        catalogue = PayloadCatalogue(PayloadCatalogue.routes.filter { topics.contains($0.topic) }.flatMap(\.types))
    }

    public func migrate(_ migrator: inout DatabaseMigrator) {
        MatchingJournal.register(in: &migrator)
    }

    public func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        let calendar = configuration.calendar
        let now = context.now
        let input = try MatchingInput.from(event, topic: context.topic) { instrument in
            calendar?.openingMethods(for: instrument, at: now) ?? .all
        }
        guard let input else { return }
        try host.record(input, commandType: event.type.rawValue, key: event.payload.partitionKey, context: &context)
    }

    public func restore(from store: EventStoreReader) throws {
        let fresh = MatchingState(rules: configuration.rules)
        host.restore(try store.read { try MatchingJournal.recover($0, fresh: fresh) })
    }

    public var tickInterval: Duration? {
        configuration.calendar == nil ? nil : configuration.tickInterval
    }

    /// Brings every scheduled instrument to where the calendar wants it: closes a finished or
    /// stale day (its resting orders expire), opens today's session at the previous close,
    /// switches phases. Each step is journaled like a command.
    public func tick(context: inout HandlerContext) throws {
        guard let calendar = configuration.calendar else { return }
        for instrument in calendar.instruments {
            // Close yesterday, open today, set the phase: at most three steps. An input the engine
            // refused would come back unchanged: stop rather than repeat it.
            var previous: MatchingInput?
            for _ in 0..<3 {
                let now = context.now
                guard let input = host.read({ calendar.nextInput(for: instrument, state: $0, at: now) }),
                      input != previous else { break }
                try host.record(input, commandType: "TradingCalendar", key: instrument.rawValue, context: &context)
                previous = input
            }
        }
    }

    public func adminRoutes(store: EventStoreReader) -> [AdminRoute] {
        MatchingReadSide(host: host, store: store, configuration: configuration).routes
    }
}
