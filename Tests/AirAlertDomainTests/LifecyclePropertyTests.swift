import Foundation
import Testing
@testable import AirAlertDomain

/// SplitMix64: a tiny seeded generator, so a failing sequence can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct LifecyclePropertyTests {
    /// IAQI values concentrated on the rule boundaries.
    static let values = [40, 100, 140, 150, 151, 160, 180, 200, 201, 230, 300]

    /// A random sequence of forecasts (sometimes out of order or repeated) and city orders.
    static func inputs(seed: UInt64, count: Int) -> [AlertInput] {
        var rng = SplitMix64(state: seed)
        var clock = cst("2026-07-01", 8)
        var inputs: [AlertInput] = []
        var lastForecast: Forecast?
        for index in 0..<count {
            clock = clock.addingTimeInterval(Double(Int.random(in: 1...30, using: &rng)) * 3600)
            let roll = Int.random(in: 0..<20, using: &rng)
            if roll == 0, let lastForecast {
                inputs.append(.forecast(lastForecast)) // duplicate
            } else if roll == 1 {
                inputs.append(.forecast(randomForecast("old-\(index)", at: clock.addingTimeInterval(-4 * 86_400), &rng)))
            } else if roll <= 3 {
                let level = [nil, AlertLevel.yellow, .orange, .red].randomElement(using: &rng) ?? nil
                inputs.append(.cityOrder(try! CityLevelOrder(orderId: "c\(index)", level: level, reason: "r", issuedAt: clock)))
            } else {
                let f = randomForecast("f\(index)", at: clock, &rng)
                lastForecast = f
                inputs.append(.forecast(f))
            }
        }
        return inputs
    }

    static func randomForecast(_ id: String, at time: Date, _ rng: inout SplitMix64) -> Forecast {
        let start = CalendarDay(containing: time).adding(days: Int.random(in: -1...2, using: &rng))
        let days = (0..<Int.random(in: 1...7, using: &rng)).map { offset in
            try! ForecastDay(date: start.adding(days: offset), iaqi: values.randomElement(using: &rng) ?? 0)
        }
        return try! Forecast(forecastId: id, district: "wuhou", issuedAt: time, days: days)
    }

    static func run(_ inputs: [AlertInput]) -> (outcomes: [AlertOutcome], state: DistrictAlertState) {
        var state = DistrictAlertState(district: "wuhou")
        let outcomes = inputs.map { try! state.apply($0) }
        return (outcomes, state)
    }

    @Test(arguments: 0..<40)
    func decisionsNeverTouchAnAbsentAlertAndReplayIsIdentical(seed: Int) throws {
        let inputs = Self.inputs(seed: UInt64(seed) &* 7919 &+ 1, count: 60)
        var state = DistrictAlertState(district: "wuhou")
        var current: (id: String, level: AlertLevel)?
        var outcomes: [AlertOutcome] = []
        for input in inputs {
            let outcome = try state.apply(input)
            outcomes.append(outcome)
            for decision in outcome.decisions {
                switch decision {
                case let .issued(n):
                    #expect(current == nil, "issued \(n.alertId) over \(String(describing: current))")
                    current = (n.alertId, n.level)
                case let .upgraded(n), let .downgraded(n), let .revised(n):
                    let active = try #require(current, "\(decision.kind) without an active alert (seed \(seed))")
                    #expect(active.id == n.alertId)
                    if case .upgraded = decision { #expect(n.level > active.level) }
                    if case .downgraded = decision { #expect(n.level < active.level) }
                    if case .revised = decision { #expect(n.level == active.level) }
                    #expect(n.startsOn <= n.endsOn)
                    current = (n.alertId, n.level)
                case let .lifted(l):
                    let active = try #require(current, "lifted without an active alert (seed \(seed))")
                    #expect(active.id == l.alertId)
                    current = nil
                }
            }
            #expect(state.active?.alertId == current?.id)
            #expect(state.active?.level == current?.level)
        }

        let replay = Self.run(inputs)
        #expect(replay.outcomes == outcomes)
        #expect(replay.state == state)
    }

    /// Storing the state half-way (as the service does after every batch) changes nothing.
    @Test(arguments: 0..<10)
    func aStoredAndReloadedStateContinuesIdentically(seed: Int) throws {
        let inputs = Self.inputs(seed: UInt64(seed) &+ 1000, count: 40)
        let whole = Self.run(inputs)
        var first = DistrictAlertState(district: "wuhou")
        var outcomes = try inputs.prefix(20).map { try first.apply($0) }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var reloaded = try decoder.decode(DistrictAlertState.self, from: encoder.encode(first))
        outcomes += try inputs.dropFirst(20).map { try reloaded.apply($0) }
        #expect(outcomes == whole.outcomes)
        #expect(reloaded == whole.state)
    }
}
