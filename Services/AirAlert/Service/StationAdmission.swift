import Contract
import ServiceRuntime
import AirAlertDomain
import Foundation

/// The domain's `StationLedger` rules, evaluated against what SQLite holds instead of a ledger
/// kept in memory.
///
/// `StationLedger` remembers the seen hour slots of every station and prunes them on each
/// admission; for 2,000 stations reporting hourly that is a large value to load, rewrite and
/// store per reading. Here the seen slots are the primary key of `air_station_hours` (a second
/// reading of a slot fails to insert: `duplicate`) and the newest on-time slot is a column of
/// `air_stations`, so one reading costs a key lookup and two small writes. The classification is
/// the ledger's, rule for rule; `StationAdmissionTests` checks both agree on random sequences.
enum StationAdmission: Equatable, Sendable {
    case fresh
    case late
    /// Refused before storing: `code` is `future-reading` or `stale-reading`.
    case rejected(code: String, reason: String)

    /// Classifies a reading that is not (yet) known to be a duplicate.
    /// - Parameters:
    ///   - slot: the reading's hour slot (`Observation.hourSlot`).
    ///   - newestSlot: the station's newest on-time slot, nil before its first.
    ///   - receivedAt: the record's arrival (its Kafka timestamp), never the wall clock.
    static func classify(stationId: String, observedAt: Date, slot: Int, newestSlot: Int?, receivedAt: Date,
                         rules: ObservationRules) -> StationAdmission {
        let age = receivedAt.timeIntervalSince(observedAt)
        if age < -Double(rules.futureToleranceSeconds) {
            return .rejected(code: "future-reading",
                             reason: "reading of station \(stationId) is stamped \(Int(-age)) s after its arrival")
        }
        let horizon = Int(((receivedAt.timeIntervalSince1970 - Double(rules.dedupWindowSeconds)) / 3600).rounded(.down))
        guard slot >= horizon else {
            return .rejected(code: "stale-reading", reason: "reading of station \(stationId) is older than the "
                + "\(rules.dedupWindowSeconds / 3600) h de-duplication window")
        }
        if age > Double(rules.lateAfterSeconds) || newestSlot.map({ slot < $0 }) == true {
            return .late
        }
        return .fresh
    }
}

/// A record the service will not apply: a reading that arrived too late or too early to be
/// de-duplicated safely, a reading the domain finds implausible, or a type on the wrong topic.
/// The runtime dead-letters it (`<topic>.dlq`) with this text as the reason: it is for an
/// operator to look at, not for the warning lifecycle, and no command was refused.
struct RecordRefused: DeadLetterRefusal, CustomStringConvertible, Sendable {
    let code: String
    let reason: String

    var description: String { "\(code): \(reason)" }
    var contractError: ContractError { ContractError(code: code, reason: reason) }
}
