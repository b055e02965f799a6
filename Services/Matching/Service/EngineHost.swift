import Contract
import Foundation
import GRDB
import MatchingDomain
import ServiceRuntime
import Synchronization

/// The engine in memory, behind a lock, with the journal's position.
///
/// Only the loop thread changes it (one input at a time); the admin server reads it for market
/// data, so the lock is almost never contended. Its contents always equal what the journal and
/// snapshots in SQLite say after the current transaction: every step that can fail (encoding,
/// the journal row, the snapshot) runs *before* the engine changes, and nothing after the change
/// can throw. A rolled-back batch makes the runtime call `restore`, which reloads it from SQLite.
final class EngineHost: Sendable {
    private struct Held {
        var state: MatchingState
        var lastSeq: Int64 = 0
        var snapshotSeq: Int64 = 0
        /// The size of the last snapshot: a large state is snapshotted more rarely.
        var snapshotBytes: Int = 0
        /// Scratch buffer for one input's outputs (kept to reuse its capacity).
        var outputs: [MatchingOutput] = []
    }

    let configuration: MatchingConfiguration
    private let held: Mutex<Held>
    let snapshots: SnapshotEncoder

    init(configuration: MatchingConfiguration) {
        self.configuration = configuration
        held = Mutex(Held(state: MatchingState(rules: configuration.rules)))
        snapshots = SnapshotEncoder(background: configuration.backgroundSnapshots)
    }

    /// Replaces the state with what SQLite committed.
    func restore(_ recovered: Recovered) {
        held.withLock {
            snapshots.invalidate()
            $0.state = recovered.state
            $0.lastSeq = recovered.lastSeq
            $0.snapshotSeq = recovered.snapshotSeq
            $0.snapshotBytes = recovered.snapshotBytes
        }
    }

    /// A read of the state (for admin routes, the calendar and tests).
    func read<T>(_ body: (MatchingState) -> T) -> T {
        held.withLock { body($0.state) }
    }

    /// The journal's position: the last input applied and the last snapshot written.
    var position: (lastSeq: Int64, snapshotSeq: Int64) {
        held.withLock { ($0.lastSeq, $0.snapshotSeq) }
    }

    /// Journals `input`, applies it, and emits its events to `matching.events` (and, with
    /// `publishDepth`, the books it changed to `market.depth`).
    /// - Parameters:
    ///   - commandType: the input envelope's type, named by a `CommandRejected` if it is refused.
    ///   - key: the input's partition key, where a `CommandRejected` is keyed.
    /// - Throws: only before the engine changed (encoding or writing the journal or a snapshot).
    func record(_ input: MatchingInput, commandType: String, key: String, context: inout HandlerContext) throws {
        let at = context.now.millisecondsSinceEpoch
        let seq = try snapshotIfDue()
        let snapshot = snapshots.ready
        if let snapshot {
            try MatchingJournal.storeSnapshot(context.db, seq: snapshot.seq, state: snapshot.bytes, at: at,
                                              keepJournal: configuration.keepJournal)
        }
        try MatchingJournal.append(context.db, seq: seq, kind: input.kind, input: try input.journalUTF8(),
                                   eventId: context.input.id.lowercasedString, at: at)

        // From here on nothing throws: memory moves with the journal row just written.
        let (outputs, refusal, depths) = held.withLock { held in
            held.outputs.removeAll(keepingCapacity: true)
            let refusal = held.state.apply(input, into: &held.outputs)
            held.lastSeq = seq
            if let snapshot {
                held.snapshotSeq = snapshot.seq
                held.snapshotBytes = snapshot.bytes.count
                snapshots.written(seq: snapshot.seq)
            }
            let depths = configuration.publishDepth ? Self.depths(after: held.outputs, state: held.state, seq: seq) : []
            return (held.outputs, refusal, depths)
        }
        let events = MatchingEvents(commandId: context.input.id.lowercasedString, commandType: commandType,
                                    key: key, now: context.now)
        for payload in events.payloads(for: outputs, refusal: refusal) {
            context.emit(payload, to: .matchingEvents)
        }
        for depth in depths {
            context.emit(depth, to: .marketDepth)
        }
    }

    /// The next input's sequence number; first hands the state to the snapshot encoder when
    /// enough inputs went by since the last snapshot: `snapshotEvery`, and more for a large
    /// state (one input per `snapshotBytesPerInput` bytes of the last snapshot).
    private func snapshotIfDue() throws -> Int64 {
        let (seq, due): (Int64, (MatchingState, Int64)?) = held.withLock { held in
            let interval = max(configuration.snapshotEvery, held.snapshotBytes / configuration.snapshotBytesPerInput)
            let due = configuration.snapshotEvery > 0 && held.lastSeq - held.snapshotSeq >= Int64(interval)
                && !snapshots.pending
            return (held.lastSeq + 1, due ? (held.state, held.lastSeq) : nil)
        }
        if let (state, at) = due { try snapshots.start(state, seq: at) }
        return seq
    }

    /// The listed books an input's outputs show changed, each once, in the order first touched.
    private static func depths(after outputs: [MatchingOutput], state: MatchingState, seq: Int64) -> [MarketDepthUpdated] {
        var touched: [InstrumentID] = []
        for output in outputs {
            let instrument: InstrumentID? = switch output {
            case .accepted(let order): order.method == .listed ? order.instrument : nil
            case .trade(let trade): trade.method == .listed ? trade.instrument : nil
            case .cancelled(let order), .expired(let order): order.instrument
            case .sessionOpened(let session): session.instrument
            case .sessionClosed(let summary): summary.instrument
            case .rejected, .commandRejected: nil
            }
            if let instrument, !touched.contains(instrument) { touched.append(instrument) }
        }
        return touched.compactMap { instrument in
            state.engine.marketData(instrument: instrument).map {
                MarketDepthUpdated(instrument: instrument, tradingDay: state.engine.session(of: instrument)?.tradingDay,
                                   depth: $0, sequence: seq)
            }
        }
    }
}
