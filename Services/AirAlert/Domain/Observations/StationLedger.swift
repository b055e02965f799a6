import Foundation

/// What to do with an arriving reading.
public enum ObservationAdmission: Sendable, Equatable {
    /// Store it; it is the station's newest reading.
    case fresh
    /// Store it for the record, but do not treat it as the station's current value: it arrived
    /// more than `lateAfterSeconds` after it was taken, or after a newer reading of the station.
    case late
    /// Drop it: the station already has a reading for that hour.
    case duplicate
    /// Refuse it (dead-letter) with the reason: older than the de-duplication window, or stamped
    /// in the future.
    case rejected(String)
}

/// Per-district memory of which station hours have been seen, for de-duplication.
///
/// Rules, kept deliberately simple:
/// - One reading per station per clock hour (`Observation.hourSlot`). The first one wins; a
///   later one for the same hour is a `duplicate` and is dropped, never replaces: the first was
///   already stored and maybe acted on, and first-wins makes a replay give the same result.
///   (A corrected value would need an explicit correction event, not built.)
/// - A reading taken more than `lateAfterSeconds` before it arrived, or older than the station's
///   newest reading, is `late`: stored once, but it does not become the station's current value.
/// - Slots older than `dedupWindowSeconds` before the arrival time are forgotten; a reading that
///   old is `rejected`, since it could no longer be recognised as a duplicate.
public struct StationLedger: Sendable, Equatable, Codable {
    /// Seen hour slots per station, ascending.
    public private(set) var seenSlots: [String: [Int]]
    /// The newest admitted hour slot per station.
    public private(set) var newestSlot: [String: Int]

    public init() {
        seenSlots = [:]
        newestSlot = [:]
    }

    /// Classifies `observation` and remembers it when it is to be stored.
    /// - Parameter receivedAt: when the record arrived (an input: the domain reads no clock).
    public mutating func admit(_ observation: Observation, receivedAt: Date,
                               rules: ObservationRules = ObservationRules()) -> ObservationAdmission {
        let age = receivedAt.timeIntervalSince(observation.observedAt)
        if age < -Double(rules.futureToleranceSeconds) {
            return .rejected("reading of station \(observation.stationId) is stamped "
                + "\(Int(-age)) s after its arrival")
        }
        let horizon = Int(((receivedAt.timeIntervalSince1970 - Double(rules.dedupWindowSeconds)) / 3600).rounded(.down))
        prune(before: horizon)
        let slot = observation.hourSlot
        guard slot >= horizon else {
            return .rejected("reading of station \(observation.stationId) is older than the "
                + "\(rules.dedupWindowSeconds / 3600) h de-duplication window")
        }
        var slots = seenSlots[observation.stationId] ?? []
        if slots.contains(slot) { return .duplicate }
        slots.insert(slot, at: slots.firstIndex { $0 > slot } ?? slots.count)
        seenSlots[observation.stationId] = slots

        let newest = newestSlot[observation.stationId]
        if age > Double(rules.lateAfterSeconds) || newest.map({ slot < $0 }) == true {
            return .late
        }
        newestSlot[observation.stationId] = slot
        return .fresh
    }

    private mutating func prune(before horizon: Int) {
        for (station, slots) in seenSlots {
            let kept = slots.filter { $0 >= horizon }
            seenSlots[station] = kept.isEmpty ? nil : kept
        }
    }
}
