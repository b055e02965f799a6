import BinaryCoding
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

    /// The snapshot in the binary layout (`MatchingEngine.writeSnapshot`; the opened days as
    /// JSON inside), sealed with its checksum, in `buffer`: it replaces what the buffer held but
    /// keeps its storage, so the encoder writes every snapshot into the same memory instead of
    /// allocating, faulting in and copying megabytes each time.
    func writeSnapshot(into buffer: inout [UInt8]) throws {
        var writer = BinaryWriter(reusing: &buffer)
        writer.header(mark: Self.snapshotMark, format: Self.snapshotFormat)
        try engine.writeSnapshot(into: &writer)
        try writer.json(openedDays)
        writer.seal()
        buffer = writer.take()
    }

    /// A stored snapshot: the binary layout (`writeSnapshot`), or the JSON that snapshots were
    /// before it (read by `JSONDecoder`), so a store written by an earlier version restarts.
    /// - Throws: `BinaryDecodingError` for damaged binary (the checksum, a bad count or value,
    ///   bytes left over), or `JSONDecoder`'s error for JSON that is not a state.
    static func readSnapshot(_ bytes: [UInt8]) throws -> MatchingState {
        guard bytes.starts(with: snapshotMark) else {
            return try JSONDecoder().decode(MatchingState.self, from: Data(bytes))
        }
        var reader = try BinaryReader(verifying: bytes)
        _ = try reader.header(mark: snapshotMark, "a matching snapshot", format: snapshotFormat)
        var state = MatchingState(rules: .standard)
        state.engine = try MatchingEngine.readSnapshot(from: &reader)
        state.openedDays = try reader.json([InstrumentID: TradingDay].self)
        guard reader.isAtEnd else { throw BinaryDecodingError("bytes left over after the snapshot, at \(reader.index)") }
        return state
    }

    /// "EMS": an Eco-market Matching Snapshot. JSON starts with `{`, so the two never mix.
    static let snapshotMark: [UInt8] = Array("EMS".utf8)
    static let snapshotFormat = 1

    /// Every instrument that ever had a session, in name order.
    var instruments: [InstrumentID] {
        openedDays.keys.sorted { $0.rawValue < $1.rawValue }
    }
}

extension RejectionCode {
    /// `OpenSession` for a day not after the last day the instrument opened.
    static let tradingDayAlreadyOpened: RejectionCode = "trading-day-already-opened"
}
