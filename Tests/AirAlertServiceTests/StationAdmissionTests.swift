import AirAlertDomain
@testable import AirAlertService
import Contract
import Foundation
import GRDB
import Testing

/// The service keeps the domain's `StationLedger` rules in SQLite; both must classify every
/// reading alike.
@Suite("Station admission")
struct StationAdmissionTests {
    /// A small deterministic generator, so a failure names a reproducible seed.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.count))
        }
    }

    /// The stored counters and the dead letters: what happened to each reading shows in them.
    struct Counters: Equatable {
        var readings = 0, late = 0, duplicates = 0, rejected = 0

        /// What happened to the one reading sent between `before` and `self`.
        func outcome(since before: Counters) -> String {
            if rejected > before.rejected { return "rejected" }
            if duplicates > before.duplicates { return "duplicate" }
            if late > before.late { return "late" }
            return readings > before.readings ? "fresh" : "nothing"
        }
    }

    func counters(_ harness: Harness) throws -> Counters {
        var counters = try harness.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT coalesce(SUM(readings), 0) AS r, coalesce(SUM(lateReadings), 0) AS l,
                       coalesce(SUM(duplicates), 0) AS d
                FROM air_stations
                """)
            return Counters(readings: row?["r"] ?? 0, late: row?["l"] ?? 0, duplicates: row?["d"] ?? 0)
        }
        counters.rejected = try harness.deadLetters().count
        return counters
    }

    /// Mostly prompt readings, some hours late, a few older than the window or from the future;
    /// three stations, so hours repeat and duplicates occur. Arrival times never go backwards, as
    /// Kafka timestamps within a partition do not (the ledger forgets slots by arrival time).
    @Test(arguments: [1, 2, 3, 42])
    func theServiceClassifiesEveryReadingAsTheDomainLedgerDoes(seed: Int) throws {
        var random = SplitMix64(state: UInt64(seed))
        let harness = try Harness()
        var ledger = StationLedger()
        let rules = harness.configuration.rules.observations
        var receivedAt = cst("2026-07-01", 0)
        var seen = Set<String>()
        for step in 0..<150 {
            receivedAt.addTimeInterval(Double(random.int(0...2400)))
            let station = "S-\(random.int(1...3))"
            let offset: Int
            switch random.int(0...9) {
            case 0...5: offset = -random.int(0...3600)
            case 6, 7: offset = -random.int(3600...4 * 3600)
            case 8: offset = -random.int(4 * 3600...9 * 86_400)
            default: offset = random.int(0...600)
            }
            let payload = reading(station, "wuhou", at: receivedAt.addingTimeInterval(Double(offset)))
            let observation = try Observation(district: "wuhou", stationId: station, observedAt: payload.observedAt.date,
                                              o3OneHour: 120, o3EightHour: 90, rules: rules)
            let expected: String
            switch ledger.admit(observation, receivedAt: Timestamp(receivedAt).date, rules: rules) {
            case .fresh: expected = "fresh"
            case .late: expected = "late"
            case .duplicate: expected = "duplicate"
            case .rejected: expected = "rejected"
            }
            let before = try counters(harness)
            try harness.send(payload, at: receivedAt)
            #expect(try counters(harness).outcome(since: before) == expected, "seed \(seed), step \(step)")
            seen.insert(expected)
        }
        #expect(seen == ["fresh", "late", "duplicate", "rejected"], "the sequence exercises every rule")
    }

    @Test func theClassificationFollowsTheLedgersOrderOfRules() {
        let rules = ObservationRules()
        let t = cst("2026-07-10", 12)
        let slot = Int(t.timeIntervalSince1970 / 3600)
        func classify(_ observed: Date, newest: Int? = nil) -> StationAdmission {
            StationAdmission.classify(stationId: "S", observedAt: observed, slot: Int(observed.timeIntervalSince1970 / 3600),
                                      newestSlot: newest, receivedAt: t, rules: rules)
        }
        #expect(classify(t) == .fresh)
        #expect(classify(t.addingTimeInterval(-3 * 3600)) == .late)
        #expect(classify(t.addingTimeInterval(-1800), newest: slot + 1) == .late)
        #expect(classify(t.addingTimeInterval(200)) == .fresh) // within the 300 s clock-skew tolerance
        guard case .rejected(code: "future-reading", _) = classify(t.addingTimeInterval(400)) else {
            Issue.record("a reading stamped 400 s ahead is refused")
            return
        }
        guard case .rejected(code: "stale-reading", _) = classify(t.addingTimeInterval(-8 * 86_400)) else {
            Issue.record("a reading older than the window is refused")
            return
        }
    }
}

