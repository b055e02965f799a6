import Contract
import Foundation
import GRDB
import Logging
import ServiceRuntime
import SettlementDomain
import Store

/// The settlement service's wiring (DESIGN.md section 4, "The order saga"):
/// - `settlement.commands`: deposits and withdrawals (`CommandRejected` when refused);
/// - `market.orders`: buy orders, whose funds it reserves (`FundsReserved` / `ReserveRejected`);
/// - `matching.events`: trades (the funds leg), closed orders (their reservations released),
///   sessions (trading days; statements and the reconciliation when the last one closes);
/// - `registry.events`: `AllowancesTransferred`, the allowance leg;
/// and every answer on `settlement.events`, `TradeSettled` once per trade when both legs are done.
///
/// The funds ledger lives in memory (`LedgerHost`) and in SQLite (journal and balance tables),
/// written in the runtime's batch transaction; the trades' legs, guards, alarms and
/// reconciliations live in SQLite only. Types of those topics that settlement does not act on
/// are read and ignored; a type on a topic it does not travel on is dead-lettered.
public struct SettlementHandler: EventHandler {
    public let serviceName = "settlement"
    public let inputTopics: [Topic] = [.settlementCommands, .marketOrders, .matchingEvents, .registryEvents]
    public let rejectionTopic: Topic = .settlementEvents
    /// Matching's acceptances, and the registry's holds and refusals of holds: settlement's
    /// reservations answer orders themselves, and only the allowance leg of a trade concerns it.
    public let ignoredInputs: [Topic: Set<EventType>] = [
        .matchingEvents: [OrderAccepted.eventType],
        .registryEvents: [AllowancesFrozen.eventType, AllowancesUnfrozen.eventType, FreezeRejected.eventType],
    ]
    /// Every type of the input topics, so that the ones settlement ignores are not dead-lettered.
    public let catalogue: PayloadCatalogue
    public let configuration: SettlementConfiguration
    let host: LedgerHost
    /// Balance rows changed in the open transaction, written back once (`writeDeferred`).
    let pendingRows = PendingBalanceRows()

    /// - Throws: `SettlementRefusal` (`invalid-rules`) when the configured rules cannot be used.
    public init(configuration: SettlementConfiguration = SettlementConfiguration()) throws {
        self.configuration = configuration
        host = try LedgerHost(rules: configuration.rules)
        let topics = inputTopics
        catalogue = PayloadCatalogue(PayloadCatalogue.routes.filter { topics.contains($0.topic) }.flatMap(\.types))
    }

    var rules: SettlementRules { configuration.rules }

    public func migrate(_ migrator: inout DatabaseMigrator) {
        SettlementSchema.register(in: &migrator)
    }

    public func restore(from store: EventStoreReader) throws {
        pendingRows.discard()
        try store.read { try host.reload($0) }
        if let report = host.lastRestore, let reason = report.snapshotRefused {
            // Correct but slow: say so where operators look, as well as on `/ledger`.
            Logger(label: serviceName).warning("the stored ledger snapshot was passed over; replayed the whole journal",
                                               metadata: ["reason": "\(reason)", "entries": "\(report.entriesReplayed)",
                                                          "milliseconds": "\(report.milliseconds)"])
        }
    }

    /// Writes back the balance rows the batch's inputs changed (`PendingBalanceRows`), and the
    /// ledger snapshot when the journal has run `snapshotEveryEntries` past the stored one.
    public func writeDeferred(_ db: Database) throws {
        try host.with(db) { ledger in try pendingRows.write(db, ledger: ledger) }
        try host.storeSnapshot(db, at: .now(), every: configuration.snapshotEveryEntries)
    }

    public func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        do {
            try apply(event, context: &context)
            pendingRows.keep()
        } catch {
            pendingRows.drop()
            throw error
        }
    }

    private func apply(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        switch (context.topic, event.payload) {
        case (.settlementCommands, let command as DepositFunds):
            try deposit(command, context: &context)
        case (.settlementCommands, let command as WithdrawFunds):
            try withdraw(command, context: &context)
        case (.marketOrders, let order as SubmitOrder):
            if order.side == .buy { try reserve(order, context: &context) }
        case (.matchingEvents, let trade as TradeExecuted):
            try settleFundsLeg(trade, context: &context)
        case (.matchingEvents, let closed as OrderCancelled):
            try release(orderId: closed.orderId, accountId: closed.accountId, why: "cancelled", context: &context)
        case (.matchingEvents, let closed as OrderExpired):
            try release(orderId: closed.orderId, accountId: closed.accountId, why: "expired", context: &context)
        case (.matchingEvents, let closed as OrderRejected):
            try release(orderId: closed.orderId, accountId: closed.accountId, why: "rejected", context: &context)
        case (.matchingEvents, let opened as SessionOpened):
            try openSession(opened, context: &context)
        case (.matchingEvents, let closed as SessionClosed):
            try closeSession(closed, context: &context)
        case (.registryEvents, let delivery as AllowancesTransferred):
            try recordAllowanceLeg(delivery, context: &context)
        default:
            // Sells, cancels and session commands (matching's answers carry what settlement
            // needs), OrderAccepted, the registry's other events: not settlement's business.
            guard PayloadCatalogue.catalogue(of: context.topic).contains(event.type) else {
                throw MisroutedInput(type: event.type, topic: context.topic)
            }
        }
    }

    public var tickInterval: Duration? { configuration.tickInterval }

    /// Raises the alarm for legs waiting past the timeout, and completes the reconciliations
    /// that waited for their day's last allowance legs as long as the timeout allows.
    public func tick(context: inout HandlerContext) throws {
        try raiseOverdueAlarms(context: &context)
        try completeDueReconciliations(context: &context)
    }

    public func adminRoutes(store: EventStoreReader) -> [AdminRoute] {
        let host = self.host
        return SettlementReadSide(store: store, rules: rules, lastRestore: { host.lastRestore }).routes
    }

    // MARK: Helpers shared by the handler's parts

    /// The input's envelope id, stored with what it caused.
    func cause(_ context: HandlerContext) -> String { context.input.id.lowercasedString }

    /// Stores entries the ledger just made, and notes the balance rows they touched for the
    /// write-back at the end of the batch (after the entries: a refusal that follows a noted
    /// row always follows a write, so the runtime undoes the whole record).
    func persist(_ entries: [FundsEntry], ledger: FundsLedger, closedBy: String? = nil, context: HandlerContext) throws {
        if entries.first?.sequence == 1 {
            // The first entry: record which exchange accounts the journal is written with.
            try JournalStore.storeTradingDay(context.db, ledger.tradingDay, rules: rules)
        }
        try JournalStore.append(context.db, entries, at: context.now, cause: cause(context))
        pendingRows.note(entries, ledger: ledger, closedBy: closedBy, at: context.now)
    }
}

/// What a ledger operation decided, returned out of the ledger's lock.
enum LedgerOutcome<Value: Sendable>: Sendable {
    case done(Value)
    case refused(SettlementRefusal)
    /// Already done before (a repeat with a new event id): nothing to emit.
    case duplicate
}

/// A record whose type settlement knows, on a topic where that type does not travel. Not a
/// `ContractError`, so the runtime dead-letters it instead of answering it.
struct MisroutedInput: Error, CustomStringConvertible {
    var type: EventType
    var topic: Topic
    var description: String { "\(type) does not travel on \(topic); settlement does not read it there" }
}

extension SettlementRefusal {
    /// The refusal in the contract's form, for `CommandRejected`.
    var contractError: ContractError { ContractError(code: code, reason: reason) }
}

extension Timestamp {
    /// The domain's instant for a record's logical time.
    var instant: Instant { Instant(millisecondsSinceEpoch: millisecondsSinceEpoch) }
}

/// The service's own refusal codes (the ledger's are `SettlementRefusal.Code`).
enum Codes {
    /// A buy order matching closed before settlement read it: nothing is reserved.
    static let orderClosed = "order-closed"
    static let legOverdue = "leg-overdue"
    static let fundsLegRefused = "funds-leg-refused"
    static let legMismatch = "leg-mismatch"
    static let unsettledTrade = "unsettled-trade"
}
