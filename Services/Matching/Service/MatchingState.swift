import Foundation
import MatchingDomain

/// Everything the matching service keeps: the engine, plus the one fact the engine does not
/// keep that the service needs, the last trading day opened per instrument.
///
/// A value, `Codable` and `Equatable` like the engine: `apply` is a pure function of the state
/// and one input, so a snapshot plus the journal's tail reproduces the state (and every output)
/// exactly. This is what `snapshots.state` holds.
struct MatchingState: Codable, Equatable, Sendable {
    var engine: MatchingEngine
    /// The last trading day each instrument opened. A day trades once: opening it again would
    /// restart its trade sequence and repeat trade ids that settlement already settled.
    var openedDays: [InstrumentID: TradingDay] = [:]

    init(rules: MatchingRules = .standard) {
        engine = MatchingEngine(rules: rules)
    }

    /// Applies one input. Outputs are appended in the engine's order; refusals that the service
    /// itself makes (before the engine sees the input) are returned rather than appended, since
    /// the engine's output cases are its own to construct.
    mutating func apply(_ input: MatchingInput, into outputs: inout [MatchingOutput]) -> Rejection? {
        switch input {
        case .submit(let request):
            engine.submit(request, into: &outputs)
        case .cancel(let orderID, let account, let instrument):
            engine.cancel(orderID: orderID, account: account, instrument: instrument, into: &outputs)
        case .holdPlaced(let orderID):
            engine.holdPlaced(orderID: orderID, into: &outputs)
        case .holdRefused(let orderID, let code, let reason):
            engine.holdRefused(orderID: orderID, code: code, reason: reason, into: &outputs)
        case .openSession(let instrument, let day, let reference, let methods):
            if let last = openedDays[instrument], day.rawValue <= last.rawValue, engine.session(of: instrument) == nil {
                return Rejection(.tradingDayAlreadyOpened,
                                 "\(instrument) already opened trading day \(last); a day trades once, so open a later one.")
            }
            let before = outputs.count
            engine.openSession(instrument: instrument, tradingDay: day, referencePrice: reference, methods: methods,
                               into: &outputs)
            if outputs[before...].contains(where: { if case .sessionOpened = $0 { true } else { false } }) {
                openedDays[instrument] = day
            }
        case .setMethods(let instrument, let methods):
            engine.setMethods(methods, instrument: instrument, into: &outputs)
        case .closeSession(let instrument, let day, let reference):
            engine.closeSession(instrument: instrument, tradingDay: day, referencePrice: reference, into: &outputs)
        case .closeAuction(let instrument):
            engine.closeAuction(instrument: instrument, into: &outputs)
        }
        return nil
    }

    /// The snapshot's JSON, which `JSONDecoder` reads as `MatchingState` (the engine by its own
    /// writer, the opened days through `JSONEncoder`), in `buffer`: it replaces what the buffer
    /// held but keeps its storage, so the encoder writes every snapshot into the same memory
    /// instead of allocating, faulting in and copying tens of megabytes each time.
    func writeSnapshotJSON(into buffer: inout [UInt8]) throws {
        var writer = SnapshotJSONWriter(reusing: &buffer)
        writer.beginObject()
        writer.key("engine")
        try engine.writeSnapshotJSON(into: &writer)
        writer.key("openedDays")
        try writer.encoded(openedDays)
        writer.endObject()
        buffer = writer.takeBytes()
    }

    /// Every instrument that ever had a session, in name order.
    var instruments: [InstrumentID] {
        openedDays.keys.sorted { $0.rawValue < $1.rawValue }
    }
}

extension RejectionCode {
    /// `OpenSession` for a day not after the last day the instrument opened.
    static let tradingDayAlreadyOpened: RejectionCode = "trading-day-already-opened"
}
