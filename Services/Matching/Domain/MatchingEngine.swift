/// The matching engine of every instrument: one entry point per input, outputs appended to a
/// caller-provided buffer.
///
/// Pure and deterministic: no I/O, no clock, no randomness, no iteration over hash tables where
/// order would show. The same inputs from the same state always give the same outputs, so the
/// service can rebuild it by replaying its inputs, or restore it from a `Codable` snapshot and
/// replay the tail. It is a value: a copy is a snapshot.
///
/// An order's life (DESIGN "The order saga"): `submit` checks the rules (a violation gives
/// `.rejected` at once) and parks the order until its hold; `holdPlaced` admits it (`.accepted`,
/// then trades or it rests); `holdRefused` rejects it with the hold's reason. A `cancel` before
/// the hold is honoured when the hold arrives (`.cancelled`, so the hold is released).
public struct MatchingEngine: Equatable, Codable, Sendable {
    /// The rules in force (bands, sizes, tick, whether holds are awaited).
    public var rules: MatchingRules
    var instruments: [InstrumentState] = []
    var instrumentIndex: [InstrumentID: Int] = [:]
    /// Where each order of the current days lives: instrument and slot in its order table.
    var locations: [OrderID: OrderLocation] = [:]
    /// Accounts interned to dense integers for the book's self-trade check.
    var accounts: [AccountID: AccountRef] = [:]
    /// Holds that arrived before their order (the topics are read independently). Claimed by
    /// the order's submit; forgotten when the last open session closes.
    var earlyHolds: [OrderID: EarlyHold] = [:]
    /// Scratch buffer for the book's fills, empty between calls (not part of the state).
    var fills: [Fill] = []

    enum CodingKeys: String, CodingKey {
        case rules, instruments, instrumentIndex, locations, accounts, earlyHolds
    }

    /// An engine with no instruments; instruments appear when their first session opens.
    public init(rules: MatchingRules = .standard) {
        self.rules = rules
    }

    /// Sizes the order index for a day of `orders` orders, so that it does not rehash (a pause
    /// of tens of milliseconds at a million orders) while the market is open.
    public mutating func reserveCapacity(orders: Int) {
        locations.reserveCapacity(orders)
    }

    /// `SubmitOrder`. Checks the rules now (see `InstrumentState.violation`), then waits for the
    /// order's hold, or admits it at once if the hold already came or holds are not required.
    public mutating func submit(_ request: OrderRequest, into outputs: inout [MatchingOutput]) {
        guard let i = instrumentIndex[request.instrument] else {
            return rejectUnknownInstrument(request, into: &outputs)
        }
        // One hash of the id both checks for a duplicate and files the new order.
        let location = OrderLocation(instrument: Int32(i), order: OrderRef(Int32(instruments[i].orders.count)))
        if let existing = locations.updateValue(location, forKey: request.orderID) {
            locations[request.orderID] = existing
            outputs.append(.commandRejected(CommandRejected(
                command: .submitOrder, subject: request.orderID.rawValue, code: .duplicateOrderID,
                reason: "Order id \(request.orderID) is already in use.")))
            return
        }
        let early = earlyHolds.isEmpty ? nil : earlyHolds.removeValue(forKey: request.orderID)
        let record = OrderRecord(request: request, accountRef: accountRef(for: request.account), status: .pending)
        instruments[i].submit(record, earlyHold: early, rules: rules, fills: &fills, into: &outputs)
        fills.removeAll(keepingCapacity: true)
    }

    /// `CancelOrder`. A working order leaves at once (`.cancelled`); an order still waiting for
    /// its hold is marked so that it never rests, and `.cancelled` goes out when the hold comes.
    public mutating func cancel(orderID: OrderID, account: AccountID, instrument: InstrumentID,
                                into outputs: inout [MatchingOutput])
    {
        func refuse(_ code: RejectionCode, _ reason: String) {
            outputs.append(.commandRejected(CommandRejected(command: .cancelOrder, subject: orderID.rawValue,
                                                            code: code, reason: reason)))
        }
        guard let location = locations[orderID] else {
            return refuse(.unknownOrder, "There is no order \(orderID) to cancel.")
        }
        let (i, ref) = (Int(location.instrument), location.order)
        let record = instruments[i].orders[Int(ref.rawValue)]
        guard record.request.account == account else {
            return refuse(.notOrderOwner, "Order \(orderID) does not belong to account \(account).")
        }
        guard record.request.instrument == instrument else {
            return refuse(.instrumentMismatch, "Order \(orderID) is for \(record.request.instrument), not \(instrument).")
        }
        switch record.status {
        case .pending:
            instruments[i].orders[Int(ref.rawValue)].status = .pendingCancelled
        case .working:
            instruments[i].cancelWorking(ref, into: &outputs)
        case .pendingCancelled, .pendingExpired, .finished:
            refuse(.orderNotOpen, "Order \(orderID) is no longer open.")
        }
    }

    /// The order's hold was placed (`AllowancesFrozen` for a sell, `FundsReserved` for a buy).
    /// Admits a pending order; ends a cancelled or expired one so its hold is released; ignores
    /// a hold for an order already done (it was rejected at submit, and released on that).
    public mutating func holdPlaced(orderID: OrderID, into outputs: inout [MatchingOutput]) {
        guard let location = locations[orderID] else {
            earlyHolds[orderID] = .placed
            return
        }
        let (i, ref) = (Int(location.instrument), location.order)
        switch instruments[i].orders[Int(ref.rawValue)].status {
        case .pending:
            admit(instrument: i, ref, hold: .placed, into: &outputs)
        case .pendingCancelled:
            instruments[i].orders[Int(ref.rawValue)].status = .finished
            outputs.append(.cancelled(instruments[i].orders[Int(ref.rawValue)].closed))
        case .pendingExpired:
            instruments[i].orders[Int(ref.rawValue)].status = .finished
            outputs.append(.expired(instruments[i].orders[Int(ref.rawValue)].closed))
        case .working, .finished:
            break
        }
    }

    /// The order's hold was refused (`FreezeRejected`, `ReserveRejected`): the order is rejected
    /// with the hold's code and reason; there is nothing to release.
    public mutating func holdRefused(orderID: OrderID, code: RejectionCode, reason: String,
                                     into outputs: inout [MatchingOutput])
    {
        let rejection = Rejection(code, reason)
        guard let location = locations[orderID] else {
            earlyHolds[orderID] = .refused(rejection)
            return
        }
        let (i, ref) = (Int(location.instrument), location.order)
        switch instruments[i].orders[Int(ref.rawValue)].status {
        case .pending, .pendingCancelled, .pendingExpired:
            instruments[i].reject(ref, rejection, hold: .refused, into: &outputs)
        case .working, .finished:
            break
        }
    }

    /// Market data of an instrument's listed book: best levels per side, last price.
    public func marketData(instrument: InstrumentID) -> MarketDepth? {
        guard let i = instrumentIndex[instrument] else { return nil }
        return instruments[i].book.depth(levels: rules.depthLevels)
    }

    /// An order for an instrument that never had a session: rejected, with nowhere to file it.
    private mutating func rejectUnknownInstrument(_ request: OrderRequest, into outputs: inout [MatchingOutput]) {
        guard locations[request.orderID] == nil else {
            outputs.append(.commandRejected(CommandRejected(
                command: .submitOrder, subject: request.orderID.rawValue, code: .duplicateOrderID,
                reason: "Order id \(request.orderID) is already in use.")))
            return
        }
        let early = earlyHolds.removeValue(forKey: request.orderID)
        let rejection = Rejection(.sessionClosed, "No trading session is open for \(request.instrument).")
        let record = OrderRecord(request: request, accountRef: AccountRef(-1), status: .finished)
        outputs.append(.rejected(record.rejected(rejection, hold: early == nil ? .notPlaced : .placed)))
    }

    private mutating func admit(instrument i: Int, _ ref: OrderRef, hold: HoldStatus,
                                into outputs: inout [MatchingOutput])
    {
        instruments[i].admit(ref, hold: hold, fills: &fills, into: &outputs)
        fills.removeAll(keepingCapacity: true)
    }

    private mutating func accountRef(for account: AccountID) -> AccountRef {
        if let ref = accounts[account] { return ref }
        let ref = AccountRef(Int32(accounts.count))
        accounts[account] = ref
        return ref
    }
}

/// Where an order lives: its instrument's index and its slot in that instrument's order table.
struct OrderLocation: Equatable, Codable, Sendable {
    var instrument: Int32
    var order: OrderRef
}

/// A hold outcome that arrived before its order.
enum EarlyHold: Equatable, Codable, Sendable {
    case placed
    case refused(Rejection)
}
