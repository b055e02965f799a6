import Contract
import Foundation
import GRDB
import Logging
import RegistryDomain
import ServiceRuntime
import Store

/// The registry service's wiring (DESIGN.md sections 1 and 4):
/// - `registry.commands`: entities, allocation, offsets issued, emissions, surrender, compliance;
/// - `market.orders`: sell orders, whose allowances it freezes (buys are settlement's);
/// - `matching.events`: trades it delivers, closed orders whose holds it releases, sessions
///   that start a new trading day (T+1);
/// and every answer on `registry.events`. Entities and the journal live in its SQLite file; the
/// holdings ledger is also kept in memory (`LedgerEngine`) so the order saga never waits on a read.
public struct RegistryHandler: EventHandler {
    public let serviceName = "registry"
    public let inputTopics: [Topic] = [.registryCommands, .marketOrders, .matchingEvents]
    public let rejectionTopic: Topic = .registryEvents
    /// Matching's acceptances and closes: the registry's holds change on trades, cancels,
    /// expiries and rejections only.
    public let ignoredInputs: [Topic: Set<EventType>] = [.matchingEvents: [OrderAccepted.eventType, SessionClosed.eventType]]
    public let catalogue: PayloadCatalogue
    public let configuration: RegistryConfiguration
    let engine: LedgerEngine
    let allocator: AllocationCalculator
    let complianceCalculator: ComplianceCalculator
    let surrenderPolicy: SurrenderPolicy

    public init(configuration: RegistryConfiguration = RegistryConfiguration()) {
        self.configuration = configuration
        engine = LedgerEngine(snapshotEveryEntries: configuration.snapshotEveryEntries)
        let topics: Set<Topic> = [.registryCommands, .marketOrders, .matchingEvents]
        catalogue = PayloadCatalogue(PayloadCatalogue.routes.filter { topics.contains($0.topic) }.flatMap(\.types))
        allocator = AllocationCalculator(rules: configuration.allocationRules)
        complianceCalculator = ComplianceCalculator(rules: configuration.complianceRules)
        surrenderPolicy = SurrenderPolicy(rules: configuration.complianceRules)
    }

    /// Kept for callers that only vary the registration rules.
    public init(policy: RegistrationPolicy) {
        self.init(configuration: RegistryConfiguration(registrationPolicy: policy))
    }

    public func migrate(_ migrator: inout DatabaseMigrator) {
        RegistrySchema.register(in: &migrator)
    }

    public func restore(from store: EventStoreReader) throws {
        try store.read { try engine.reload($0) }
        if let report = engine.lastRestore, let reason = report.snapshotRefused {
            // Correct but slow: say so where operators look, as well as on `/ledger`.
            Logger(label: serviceName).warning("the stored ledger snapshot was passed over; replayed the whole journal",
                                               metadata: ["reason": "\(reason)", "entries": "\(report.entriesReplayed)",
                                                          "milliseconds": "\(report.milliseconds)"])
        }
    }

    /// Writes back the holdings the batch's entries changed (`UnsavedHoldings`).
    public func writeDeferred(_ db: Database) throws {
        try engine.writeDeferred(db)
    }

    public func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        switch context.topic {
        case .registryCommands: try handleCommand(event, context: &context)
        case .marketOrders: try handleOrder(event, context: &context)
        case .matchingEvents: try handleMatching(event, context: &context)
        default:
            throw ContractError(code: ServiceRefusal.wrongTopic, reason: "registry does not read \(context.topic)")
        }
    }

    private func handleCommand(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        switch event.payload {
        case let command as RegisterEntity: try register(command, context: &context)
        case let command as UpdateEntity: try update(command, context: &context)
        case let command as DeregisterEntity: try deregister(command, context: &context)
        case let command as RecordUnitOutput: try recordOutput(command, context: &context)
        case let command as AllocateAllowances: try allocate(command, context: &context)
        case let command as SubmitVerifiedEmissions: try submitEmissions(command, context: &context)
        case let command as SurrenderAllowances: try surrender(command, context: &context)
        case let command as AssessCompliance: try assess(command, context: &context)
        case let command as IssueOffsets: try issueOffsets(command, context: &context)
        default:
            try ignore(event, on: .registryCommands)
            throw ContractError(code: ServiceRefusal.unsupportedCommand, reason: "the registry does not handle \(event.type) yet")
        }
    }

    /// Returns for a type that belongs on `topic` (another service's business there); refuses
    /// one that does not (`wrong-topic`): it was published where it should not be.
    private func ignore(_ event: IncomingEnvelope, on topic: Topic) throws {
        guard PayloadCatalogue.catalogue(of: topic).contains(event.type) else {
            throw ContractError(code: ServiceRefusal.wrongTopic, reason: "\(event.type) does not belong on \(topic)")
        }
    }

    private func handleOrder(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        switch event.payload {
        case let order as SubmitOrder where order.side == .sell:
            try freeze(for: order, context: &context)
        default:
            // Buys are held by settlement; cancels and sessions reach the registry as matching's
            // events; anything else that travels here (auction phases, ...) is matching's alone.
            try ignore(event, on: .marketOrders)
        }
    }

    private func handleMatching(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        switch event.payload {
        case let trade as TradeExecuted:
            try deliver(trade, context: &context)
        case let cancelled as OrderCancelled:
            try release(orderId: cancelled.orderId, accountId: cancelled.accountId, why: "cancelled", context: &context)
        case let expired as OrderExpired:
            try release(orderId: expired.orderId, accountId: expired.accountId, why: "expired", context: &context)
        case let rejected as OrderRejected:
            try release(orderId: rejected.orderId, accountId: rejected.accountId, why: "rejected", context: &context)
        case let opened as SessionOpened:
            try startTradingDay(opened.tradingDay, context: &context)
        default:
            // OrderAccepted, SessionClosed, matching's own refusals and whatever matching adds later.
            try ignore(event, on: .matchingEvents)
        }
    }

    public func adminRoutes(store: EventStoreReader) -> [AdminRoute] {
        let engine = self.engine
        return RegistryReadSide(store: store, configuration: configuration, lastRestore: { engine.lastRestore }).routes
    }
}
