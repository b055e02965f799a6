@testable import ecoctl
import Testing

/// The chaos run's fault plan: every service killed at least twice, kills spread over the load
/// and kept away from the broker stall, and the same plan for the same seed.
@Suite("Chaos fault plan")
struct FaultPlanTests {
    let services = ["registry", "matching", "settlement", "air-alert"]

    @Test(arguments: [(12, 20, 62), (8, 8, 40), (3, 0, 10), (40, 20, 200)])
    func killsEveryServiceTwiceAndAvoidTheStall(kills: Int, stall: Int, windowSeconds: Int) throws {
        // `windowSeconds`: how long the orders take to send.
        let plan = FaultPlan(services: services, kills: kills, stallSeconds: stall, sendWindow: .seconds(windowSeconds), seed: 7)
        #expect(plan.kills.count == max(kills, 2 * services.count))
        let perService = Dictionary(grouping: plan.kills, by: \.service).mapValues(\.count)
        #expect(services.allSatisfy { perService[$0, default: 0] >= 2 }, "\(perService)")
        #expect(plan.kills.map(\.at) == plan.kills.map(\.at).sorted(), "kills in time order")
        #expect(zip(plan.kills, plan.kills.dropFirst()).allSatisfy { $0.service != $1.service }, "never the same service twice in a row")
        #expect(plan.kills.allSatisfy { (.milliseconds(200)...(.milliseconds(2_500))).contains($0.downFor) })
        if stall > 0 {
            let stallPlan = try #require(plan.stall)
            #expect(stallPlan.length == .seconds(stall))
            let quiet = (stallPlan.at - .seconds(3))...(stallPlan.at + stallPlan.length + .seconds(5))
            #expect(plan.kills.allSatisfy { !quiet.contains($0.at) }, "no kill in \(quiet)")
            #expect(stallPlan.at < .seconds(windowSeconds), "the stall comes while the orders are being sent")
        } else {
            #expect(plan.stall == nil)
        }
    }

    @Test func theSameSeedGivesTheSamePlan() {
        let a = FaultPlan(services: services, kills: 12, stallSeconds: 20, sendWindow: .seconds(60), seed: 3)
        let b = FaultPlan(services: services, kills: 12, stallSeconds: 20, sendWindow: .seconds(60), seed: 3)
        let c = FaultPlan(services: services, kills: 12, stallSeconds: 20, sendWindow: .seconds(60), seed: 4)
        #expect(a.kills.map(\.service) == b.kills.map(\.service) && a.kills.map(\.at) == b.kills.map(\.at))
        #expect(a.kills.map(\.at) != c.kills.map(\.at))
    }
}
