import Contract
import MatchingDomain
import ServiceRuntime

/// One input of the matching engine, as the service journals it.
///
/// Every record that changes the engine becomes exactly one of these, is written to the
/// `journal` table in the batch's transaction, and is then applied. Replaying the journal in
/// `seq` order from a snapshot rebuilds the engine exactly (the engine is pure), so the journal is
/// the service's durable state and the engine in memory is a cache of it.
///
/// Kept apart from the contract's payloads on purpose: a journal written today must replay after
/// the contract gains fields, and only what the engine reads is recorded.
enum MatchingInput: Equatable, Sendable {
    case submit(OrderRequest)
    case cancel(orderID: OrderID, account: AccountID, instrument: InstrumentID)
    case holdPlaced(orderID: OrderID)
    case holdRefused(orderID: OrderID, code: RejectionCode, reason: String)
    case openSession(instrument: InstrumentID, tradingDay: TradingDay, referencePrice: Fen?, methods: MethodSet)
    case setMethods(instrument: InstrumentID, methods: MethodSet)
    /// `referencePrice`: the closing price when the day had no listed trade (else the session's
    /// reference, the previous close).
    case closeSession(instrument: InstrumentID, tradingDay: TradingDay, referencePrice: Fen?)
    case closeAuction(instrument: InstrumentID)

    /// The `type` column of the journal (and `type` key of its JSON): what kind of input this is.
    var kind: String {
        switch self {
        case .submit: "submit"
        case .cancel: "cancel"
        case .holdPlaced: "hold-placed"
        case .holdRefused: "hold-refused"
        case .openSession: "open-session"
        case .setMethods: "set-methods"
        case .closeSession: "close-session"
        case .closeAuction: "close-auction"
        }
    }
}

extension MatchingInput {
    /// The engine input for a decoded record, or nil when matching does not act on it (the
    /// other events of `registry.events` and `settlement.events`).
    /// - Parameter phase: the methods a session opened by `OpenSession` accepts from the start.
    /// - Throws: `MisroutedInput` when a type arrives on a topic it does not belong to: the
    ///   runtime dead-letters it rather than let, say, a hold arrive as a command.
    static func from(_ event: IncomingEnvelope, topic: Topic, phase: (InstrumentID) -> MethodSet) throws -> MatchingInput? {
        switch event.payload {
        case let order as SubmitOrder:
            try expect(topic, .marketOrders, event)
            return .submit(OrderRequest(
                orderID: OrderID(order.orderId), account: AccountID(order.accountId),
                instrument: InstrumentID(order.instrument.rawValue), side: MatchingDomain.Side(order.side),
                method: MatchingDomain.TradingMethod(order.method), quantity: Tonnes(order.quantity), price: Fen(order.price),
                counterparty: order.counterpartyId.map { AccountID($0) }))
        case let cancel as CancelOrder:
            try expect(topic, .marketOrders, event)
            return .cancel(orderID: OrderID(cancel.orderId), account: AccountID(cancel.accountId),
                           instrument: InstrumentID(cancel.instrument.rawValue))
        case let open as OpenSession:
            try expect(topic, .marketOrders, event)
            let instrument = InstrumentID(open.instrument.rawValue)
            return .openSession(instrument: instrument, tradingDay: TradingDay(open.tradingDay.description),
                                referencePrice: open.referencePrice.map { Fen($0) }, methods: phase(instrument))
        case let close as CloseSession:
            try expect(topic, .marketOrders, event)
            return .closeSession(instrument: InstrumentID(close.instrument.rawValue),
                                 tradingDay: TradingDay(close.tradingDay.description),
                                 referencePrice: close.referencePrice.map { Fen($0) })
        case let change as SetTradingPhase:
            try expect(topic, .marketOrders, event)
            return .setMethods(instrument: InstrumentID(change.instrument.rawValue), methods: MethodSet(change.methods))
        case let close as CloseAuction:
            try expect(topic, .marketOrders, event)
            return .closeAuction(instrument: InstrumentID(close.instrument.rawValue))
        case let hold as AllowancesFrozen:
            try expect(topic, .registryEvents, event)
            return .holdPlaced(orderID: OrderID(hold.orderId))
        case let refusal as FreezeRejected:
            try expect(topic, .registryEvents, event)
            return .holdRefused(orderID: OrderID(refusal.orderId), code: RejectionCode(rawValue: refusal.code),
                                reason: refusal.reason)
        case let hold as FundsReserved:
            try expect(topic, .settlementEvents, event)
            return .holdPlaced(orderID: OrderID(hold.orderId))
        case let refusal as ReserveRejected:
            try expect(topic, .settlementEvents, event)
            return .holdRefused(orderID: OrderID(refusal.orderId), code: RejectionCode(rawValue: refusal.code),
                                reason: refusal.reason)
        default:
            // Another service's event on a topic matching reads (EntityRegistered, TradeSettled,
            // ...): not matching's business. A stranger on market.orders is a sender's mistake.
            if topic == .marketOrders { throw MisroutedInput(type: event.type, topic: topic) }
            return nil
        }
    }

    private static func expect(_ topic: Topic, _ home: Topic, _ event: IncomingEnvelope) throws {
        if topic != home { throw MisroutedInput(type: event.type, topic: topic) }
    }
}

/// A record whose type matching knows, on a topic where that type does not travel (a hold sent
/// as a command, say): the runtime dead-letters it under `misrouted-type` instead of answering it.
struct MisroutedInput: DeadLetterRefusal, CustomStringConvertible {
    var type: EventType
    var topic: Topic
    var description: String { "\(type) does not travel on \(topic); matching ignores it here" }
    var contractError: ContractError { ContractError(code: "misrouted-type", reason: description) }
}

extension MatchingDomain.Side {
    init(_ side: Contract.Side) {
        switch side {
        case .buy: self = .buy
        case .sell: self = .sell
        }
    }
}

extension MatchingDomain.TradingMethod {
    init(_ method: Contract.TradingMethod) {
        switch method {
        case .listed: self = .listed
        case .block: self = .block
        case .auction: self = .auction
        }
    }
}

extension MethodSet {
    init(_ methods: [Contract.TradingMethod]) {
        self = methods.reduce(into: MethodSet()) { $0.insert(MethodSet(MatchingDomain.TradingMethod($1))) }
    }

    /// The contract's names of the methods in the set, in a fixed order.
    var names: [String] {
        MatchingDomain.TradingMethod.allCases.filter { allows($0) }.map(\.rawValue)
    }
}
