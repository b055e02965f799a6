import Foundation
import Store
import Synchronization

/// What `/healthz`, `/readyz` and `ecoctl status` report: shared by the loop, the publisher and
/// the admin server, each on its own thread.
public final class RuntimeStatus: Sendable {
    public struct Snapshot: Codable, Sendable {
        public var service: String
        public var assigned: Bool
        public var caughtUp: Bool
        public var storageFault: String?
        public var brokerFault: String?
        public var publishFault: String?
        /// A partition's log ends below the offset this service stored (`LogEndCheck`).
        public var offsetFault: String?
        public var lag: [String: Int64]
        public var recordsIn: Int64
        public var recordsOut: Int64
        public var deadLettered: Int64
        public var duplicates: Int64
        /// Records of types the service reads and does not act on, passed over after they were
        /// validated (`EventHandler.ignoredInputs`).
        public var ignored: Int64?
        public var rejected: Int64
        public var outboxPending: Int64
        /// Event ids held in memory to recognise copies (see `KnownIDs`): their memory grows with
        /// `--inbox-retention-hours` and the outbox retention.
        public var inboxIds: Int64?
        public var outboxIds: Int64?
        /// Fetches that skipped offsets and were fetched again, and offsets given up as missing
        /// after every refetch showed the same gap (`OffsetGaps`), since the process started.
        public var offsetGapRefetches: Int64?
        public var offsetsSkipped: Int64?
        /// Chunks the publisher had to read back from the outbox table because memory could not
        /// hand them over (a backlog after a restart, the in-memory queue dropped when full).
        public var outboxTableReads: Int64?
        /// Batches applied a second time record by record in savepoints (`ApplyMode.careful`):
        /// a handler refused a record after writing, or emitted an event too large to publish.
        public var carefulRetries: Int64?
        public var ready: Bool {
            assigned && caughtUp && storageFault == nil && brokerFault == nil && publishFault == nil && offsetFault == nil
        }
    }

    private let state: Mutex<Snapshot>

    public init(service: String) {
        state = Mutex(Snapshot(service: service, assigned: false, caughtUp: false, lag: [:], recordsIn: 0,
                               recordsOut: 0, deadLettered: 0, duplicates: 0, rejected: 0, outboxPending: 0))
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) { state.withLock { body(&$0) } }

    func setLag(_ lag: [TopicPartition: Int64]) {
        state.withLock { snapshot in
            snapshot.lag = Dictionary(uniqueKeysWithValues: lag.map { ($0.key.description, $0.value) })
            if lag.values.allSatisfy({ $0 == 0 }) { snapshot.caughtUp = true }
        }
    }
}
