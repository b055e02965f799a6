import EcoTestKit
import Foundation
import Synchronization

/// When each fault of a chaos run happens: one broker stall 40% into the sending of the orders
/// (mid-load however fast the services are; the sender is held up by it too), and SIGKILLs
/// spread over the load (every service at least twice, in a seeded shuffled order, at least
/// 2.5 s apart, going on past the sending when the load is short), none during the stall or
/// just after it so the stall's readiness signal is the broker's alone.
struct FaultPlan {
    struct Kill {
        var at: Duration
        var service: String
        /// How long the service stays dead before it is restarted.
        var downFor: Duration
    }

    var kills: [Kill]
    var stall: (at: Duration, length: Duration)?

    /// - Parameter sendWindow: how long sending the orders takes at the offered rate.
    init(services: [String], kills count: Int, stallSeconds: Int, sendWindow: Duration, seed: UInt64) {
        var random = SeededGenerator(seed: seed ^ 0x5EED_FA17)
        let sendMs = max(2_000, Int(sendWindow.components.seconds) * 1000 + Int(sendWindow.components.attoseconds / 1_000_000_000_000_000))
        let stallAtMs = sendMs * 40 / 100
        stall = stallSeconds > 0 ? (.milliseconds(stallAtMs), .seconds(stallSeconds)) : nil
        var targets: [String] = []
        while targets.count < max(count, services.count * 2) {
            var round = services.shuffled(using: &random)
            // Never the same service twice in a row: its restart must have time to come up.
            if round.count > 1, round.first == targets.last { round.swapAt(0, round.count - 1) }
            targets += round
        }
        targets = Array(targets.prefix(max(count, services.count * 2)))
        let quietFromMs = stallAtMs - 3_000
        let quietMs = stallSeconds > 0 ? (3 + stallSeconds + 5) * 1000 : 0
        // The sender catches up after the stall, so the load lasts about `sendMs`.
        let windowMs = max(sendMs, targets.count * 2_500 + quietMs + 1_000)
        let spacing = max(1, (windowMs - 1_000 - quietMs) / targets.count)
        kills = targets.enumerated().map { index, service in
            var atMs = 1_000 + index * spacing + Int.random(in: 0...max(0, spacing / 2), using: &random)
            if stallSeconds > 0, atMs >= quietFromMs { atMs += quietMs }
            return Kill(at: .milliseconds(atMs), service: service,
                        downFor: .milliseconds(Int.random(in: 200...2_500, using: &random)))
        }
    }
}

/// What one SIGKILL did: the process died, came back, and when it was ready again.
struct KillOutcome: Sendable {
    var service: String
    var at: Double
    var pid: Int32?
    var downFor: Double
    /// Seconds from the restart to `/readyz` answering 200; nil if it never did.
    var readyAfter: Double?
    /// Seconds from the restart to the next planned kill of the same service, when that came
    /// before it had caught up (it was up and serving, still working through its backlog).
    var supersededAfter: Double?
    var survived: Bool { error == nil && (readyAfter != nil || supersededAfter != nil) }
    var error: String?
}

/// What the services said while the broker was stopped, and how fast they recovered.
struct StallOutcome: Sendable {
    var seconds: Double
    /// Services whose `/status` showed not ready with a broker fault during the stall.
    var reportedNotReady: Set<String>
    /// Seconds from SIGCONT until every service was ready again; nil if not within 120 s.
    var recoveredAfter: Double?
}

/// Carries out a `FaultPlan` against the running stack, from the moment the load starts.
struct ChaosMonkey {
    let services: [String: ServiceProcess]
    let generations = RestartGenerations()
    let pauseBroker: @Sendable () -> Void
    let resumeBroker: @Sendable () -> Void
    let log: @Sendable (String) -> Void

    func run(_ plan: FaultPlan, from start: ContinuousClock.Instant) async -> (kills: [KillOutcome], stall: StallOutcome?) {
        var events: [(Duration, Bool, Int)] = plan.kills.enumerated().map { ($0.element.at, false, $0.offset) }
        if let stall = plan.stall { events.append((stall.at, true, -1)) }
        events.sort { $0.0 < $1.0 }
        var readiness: [Task<KillOutcome, Never>] = []
        var stallOutcome: StallOutcome?
        for (at, isStall, index) in events {
            try? await Task.sleep(until: start + at, clock: .continuous)
            if isStall, let stall = plan.stall {
                stallOutcome = await stallBroker(for: stall.length)
                continue
            }
            let kill = plan.kills[index]
            guard let process = services[kill.service] else { continue }
            let pid = process.pid
            // A new generation first, so the previous restart's watcher does not take this kill
            // for the process dying on its own.
            let generation = generations.next(kill.service)
            process.kill9()
            let killedAt = (ContinuousClock.now - start).seconds
            log(String(format: "kill -9 %@ (pid %d) at %.1f s; restart in %.1f s", kill.service, pid ?? -1, killedAt,
                       kill.downFor.seconds))
            try? await Task.sleep(for: kill.downFor)
            var outcome = KillOutcome(service: kill.service, at: killedAt, pid: pid, downFor: kill.downFor.seconds)
            do {
                try process.start()
            } catch {
                outcome.error = "restart failed: \(error)"
                let failed = outcome
                readiness.append(Task { failed })
                continue
            }
            let restarted = ContinuousClock.now
            let started = outcome
            readiness.append(Task {
                var outcome = started
                await watchRestart(process, generation: generation, restarted: restarted, outcome: &outcome)
                return outcome
            })
        }
        var kills: [KillOutcome] = []
        for task in readiness { kills.append(await task.value) }
        return (kills, stallOutcome)
    }

    /// Waits until the restarted process is ready. If the plan kills it again before it caught
    /// up, the restart still counts as survived when the process was up and serving until then;
    /// a process that exits on its own, or never serves, has not survived.
    private func watchRestart(_ process: ServiceProcess, generation: Int, restarted: ContinuousClock.Instant,
                              outcome: inout KillOutcome) async {
        let deadline = restarted + .seconds(180)
        var served = false
        while ContinuousClock.now < deadline {
            if generations.current(process.name) != generation {
                if !served { outcome.error = "killed again before it served its admin port" }
                outcome.supersededAfter = (ContinuousClock.now - restarted).seconds
                return
            }
            guard process.isRunning else {
                outcome.error = "exited on its own (status \(process.exitStatus ?? -1)); log: \(process.logURL.path)"
                return
            }
            if let status = try? await AdminClient.get(port: process.adminPort, path: "/readyz", timeout: .seconds(2)).status {
                served = true
                if status == 200 {
                    outcome.readyAfter = (ContinuousClock.now - restarted).seconds
                    return
                }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        outcome.error = "not ready within 180 s of its restart"
    }

    /// SIGSTOPs the broker for `length`, polling every service's `/readyz` meanwhile.
    private func stallBroker(for length: Duration) async -> StallOutcome {
        log(String(format: "SIGSTOP the broker for %.0f s", length.seconds))
        pauseBroker()
        let stalled = ContinuousClock.now
        var notReady: Set<String> = []
        while ContinuousClock.now - stalled < length {
            for (name, process) in services where !notReady.contains(name) {
                // Not ready for the broker's sake: a service still catching up is not ready too,
                // but only the broker fault shows it noticed the stall.
                guard let (_, body) = try? await AdminClient.get(port: process.adminPort, path: "/status", timeout: .seconds(1)),
                      let status = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { continue }
                if let fault = status["brokerFault"] as? String {
                    notReady.insert(name)
                    log(String(format: "  %@ not ready %.1f s into the stall: %@", name, (ContinuousClock.now - stalled).seconds,
                               String(fault.prefix(90))))
                }
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        resumeBroker()
        let resumed = ContinuousClock.now
        log("SIGCONT the broker")
        var recovered: Double?
        do {
            // Every service in turn: the last one ready is when all of them were.
            for process in services.values { try await process.waitUntilReady(timeout: .seconds(120) - (ContinuousClock.now - resumed)) }
            recovered = (ContinuousClock.now - resumed).seconds
        } catch {
            log("  \(error)")
        }
        log(recovered.map { String(format: "  every service ready again %.1f s after SIGCONT", $0) } ?? "  services NOT ready again")
        return StallOutcome(seconds: length.seconds, reportedNotReady: notReady, recoveredAfter: recovered)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Counts the restarts of each service, so a restart's watcher knows when a later kill took over.
final class RestartGenerations: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func next(_ service: String) -> Int { counts.withLock { $0[service, default: 0] += 1; return $0[service, default: 0] } }
    func current(_ service: String) -> Int { counts.withLock { $0[service, default: 0] } }
}
