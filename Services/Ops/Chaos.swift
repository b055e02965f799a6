import ArgumentParser
import Contract
import EcoTestKit
import Foundation
import Kafka

/// The reliability promise, tested: the whole order saga at load while services are SIGKILLed
/// and restarted and the broker is stopped, then proof from the topics and read sides that
/// nothing was lost or duplicated and that `ecoctl reconcile` passes.
struct Chaos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the order saga at load while killing services and stalling the broker; exit 1 unless nothing was lost or duplicated.",
        discussion: """
        Starts its own broker and the four services (SQLite files under --workdir), registers the \
        accounts, allocates, deposits and opens a session, then sends the orders at --rate while \
        killing services with SIGKILL (each at least twice) and stopping the broker with SIGSTOP \
        for --stall seconds. It then closes the session and checks every invariant.
        """)
    @Option(help: "Orders to submit (about 1 in 20 is followed by a cancel of a recent order).") var orders = 20_000
    @Option(help: "Accounts: half power plants (sell, sometimes buy), half investors (buy).") var accounts = 200
    @Option(help: "Orders per second offered.") var rate = 500
    @Option(help: "SIGKILLs to inject (at least two per service).") var kills = 12
    @Option(help: "Seconds the broker is stopped (SIGSTOP) mid-load; 0 for none.") var stall = 20
    @Option(help: "Hostile records (every input topic, every kind of bad input) interleaved with the orders; 0 for none.")
    var badRecords = 10_000
    @Option(help: "Seed of the order flow, the hostile records and the fault plan.") var seed: UInt64 = 1
    @Option(help: "Where the services' SQLite files and logs go.") var workdir: String = ".run/chaos"
    @Option(help: "Also write the result as JSON to this file.") var json: String?
    @Option(help: "Seconds to wait for every order to be answered and every trade settled before auditing what there is.")
    var waitSeconds = 600

    func validate() throws {
        guard (2...1_000_000).contains(orders) else { throw ValidationError("--orders must be 2...1000000") }
        guard (2...10_000).contains(accounts) else { throw ValidationError("--accounts must be 2...10000") }
        guard (1...100_000).contains(rate) else { throw ValidationError("--rate must be 1...100000") }
        guard (0...1_000).contains(kills), (0...600).contains(stall) else { throw ValidationError("--kills 0...1000, --stall 0...600") }
        guard (0...1_000_000).contains(badRecords) else { throw ValidationError("--bad-records must be 0...1000000") }
        guard (10...86_400).contains(waitSeconds) else { throw ValidationError("--wait-seconds must be 10...86400") }
    }

    func run() async throws {
        let progress = Progress()
        let started = ContinuousClock.now
        let serviceNames = ["registry", "matching", "settlement", "air-alert"]
        progress.step("starting a broker and \(serviceNames.joined(separator: ", "))")
        let stack = try await DemoStack(attachTo: nil, workdir: URL(fileURLWithPath: workdir), serviceNames: serviceNames,
                                        log: { say("    \($0)") })
        defer { stack.stop() }
        guard let broker = stack.broker, let registry = stack.services["registry"], let settlement = stack.services["settlement"] else {
            throw DemoFailure("the stack did not start every service")
        }
        let writer = try TopicWriter(brokers: stack.brokers)
        let log = try EventLog(brokers: stack.brokers, progress: progress)
        defer {
            log.close()
            writer.close()
        }
        let market = ChaosMarket(accounts: accounts)
        try await setUp(market, writer: writer, log: log, progress: progress)

        let flow = market.flow(orders: orders, seed: seed)
        let hostile = badRecords > 0
            ? HostileCorpus(seed: seed ^ 0xBAD_5EED, context: .init(now: .now(), ghostPrefix: "hz")).records(count: badRecords) : []
        let submitted = flow.compactMap { if case .submit(let order) = $0 { order } else { nil } }
        let plan = FaultPlan(services: serviceNames, kills: kills, stallSeconds: stall,
                             sendWindow: .milliseconds(flow.count * 1000 / rate), seed: seed)
        progress.step("load: \(submitted.count) orders and \(flow.count - submitted.count) cancels at \(rate)/s over \(market.accounts.count) accounts, \(hostile.count) hostile records among them; \(plan.kills.count) kills\(stall > 0 ? ", a \(stall) s broker stall" : "")")
        let monkey = ChaosMonkey(services: stack.services, pauseBroker: { broker.pause() }, resumeBroker: { broker.resume() },
                                 log: { say("    \($0)") })
        let loadStart = ContinuousClock.now
        async let faults = monkey.run(plan, from: loadStart)
        try await send(flow, hostile: hostile, writer: writer, from: loadStart)
        let sentIn = (ContinuousClock.now - loadStart).seconds
        say(String(format: "    orders sent in %.1f s", sentIn))

        progress.step("waiting for every order to be answered and every trade settled, while the faults go on")
        let ids = Set(submitted.map(\.orderId))
        // A wait that runs out is not the end: the audit below says what is missing.
        var loadSeconds = 0.0
        do {
            try await log.wait("orders answered", for: ids.count, timeout: TimeInterval(waitSeconds)) {
                // An order cancelled while its hold was pending is answered by the cancel alone.
                Set(log.matching.payloads(OrderAccepted.self).map(\.orderId) + log.matching.payloads(OrderRejected.self).map(\.orderId)
                    + log.matching.payloads(OrderCancelled.self).map(\.orderId)).intersection(ids).count
            }
            loadSeconds = try await waitForSettlement(log, since: loadStart)
        } catch {
            say("    \(error); going on to the audit")
        }
        let (killOutcomes, stallOutcome) = await faults
        progress.step("faults over: waiting for every service to be ready")
        for process in stack.services.values { try await process.waitUntilReady(timeout: .seconds(120)) }
        do {
            _ = try await waitForSettlement(log, since: loadStart)
        } catch {
            say("    \(error); going on to the audit")
        }

        progress.step("closing the session: expiries, statements, reconciliation")
        try await writer.send(market.closeSession, to: .marketOrders, source: "ecoctl-chaos")
        try await log.wait("reconciliation", for: 1, timeout: 120) { log.settlement.payloads(ReconciliationCompleted.self).count }
        do {
            try await log.wait("orders ended", for: ids.count, timeout: 120) { Self.endedOrders(log, ids: ids) }
        } catch {
            say("    \(error); auditing what there is")
        }
        for reader in [log.registry, log.matching, log.settlement] { try await log.settle(reader, quietFor: 2_000, timeout: 60) }

        progress.step("auditing the topics and read sides")
        var audit = try await ChaosAudit.run(events: [log.registry, log.matching, log.settlement], orders: submitted, market: market,
                                             registry: registry, settlement: settlement)
        audit.checkFaults(kills: killOutcomes, stall: stallOutcome, plannedStall: stall, services: serviceNames)
        if !hostile.isEmpty {
            try await audit.checkHostile(hostile, brokers: stack.brokers, log: log)
        }
        let reconciled = try await runReconcile(stack)
        audit.report.check("ecoctl reconcile passes", reconciled)

        let result = ChaosResult(orders: submitted.count, cancels: flow.count - submitted.count, accounts: market.accounts.count,
                                 rate: rate, loadSeconds: loadSeconds, audit: audit, kills: killOutcomes, stall: stallOutcome,
                                 inputRecords: flow.count, badRecords: hostile.count,
                                 offsetGaps: OffsetGapTally(services: Array(stack.services.values)),
                                 seconds: (ContinuousClock.now - started).seconds,
                                 command: "ecoctl chaos " + CommandLine.arguments.dropFirst(2).joined(separator: " "))
        print("")
        print(result.render())
        if let json { try result.json().write(to: URL(fileURLWithPath: json)) }
        if !audit.report.passed { throw ExitCode(1) }
    }

    /// Accounts, allowances, funds and an open session, each step confirmed before the next.
    private func setUp(_ market: ChaosMarket, writer: TopicWriter, log: EventLog, progress: Progress) async throws {
        progress.step("registering \(market.plants.count) power plants and \(market.investors.count) investors")
        try await writer.sendAll(market.registrations.map { Envelope(command: $0, source: "ecoctl-chaos") }, to: .registryCommands)
        try await log.wait("registered", for: market.accounts.count) { log.registry.payloads(EntityRegistered.self).count }
        progress.step("allocating \(market.year) allowances and depositing funds")
        try await writer.sendAll(market.outputs.map { Envelope(command: $0, source: "ecoctl-chaos") }, to: .registryCommands)
        try await log.wait("outputs recorded", for: market.plants.count) { log.registry.payloads(UnitOutputRecorded.self).count }
        try await writer.send(AllocateAllowances(year: market.year, phase: .pre), to: .registryCommands, source: "ecoctl-chaos")
        try await writer.sendAll(market.deposits.map { Envelope(command: $0, source: "ecoctl-chaos") }, to: .settlementCommands)
        try await log.wait("allocated", for: market.plants.count) { log.registry.payloads(AllowancesAllocated.self).count }
        try await log.wait("deposited", for: market.accounts.count) { log.settlement.payloads(FundsDeposited.self).count }
        try await writer.send(market.openSession, to: .marketOrders, source: "ecoctl-chaos")
        try await log.wait("session opened", for: 1) { log.matching.payloads(SessionOpened.self).count }
        // The registry and settlement learn the new trading day from SessionOpened too.
        try await Task.sleep(for: .seconds(1))
    }

    /// Waits until every trade executed so far is settled and matching has gone quiet; returns
    /// the seconds from `start` to the moment the last trade was seen settled.
    private func waitForSettlement(_ log: EventLog, since start: ContinuousClock.Instant) async throws -> Double {
        var executed = 0
        var settledAt = 0.0
        repeat {
            executed = Set(log.matching.payloads(TradeExecuted.self).map(\.tradeId)).count
            try await log.wait("trades settled", for: executed, timeout: TimeInterval(waitSeconds)) {
                Set(log.settlement.payloads(TradeSettled.self).map(\.tradeId)).count
            }
            settledAt = (ContinuousClock.now - start).seconds
            try await log.settle(log.matching, quietFor: 2_000, timeout: 120)
        } while Set(log.matching.payloads(TradeExecuted.self).map(\.tradeId)).count > executed
        return settledAt
    }

    /// Sends the flow at `rate`, in 50 ms slices, with the hostile records spread evenly among it; a slice the broker holds up (a stall) is
    /// followed by a catch-up burst, as real clients would retry.
    private func send(_ flow: [MarketCommand], hostile: [HostileRecord], writer: TopicWriter,
                      from start: ContinuousClock.Instant) async throws {
        var sent = 0
        var hostileSent = 0
        while sent < flow.count {
            let hostileDue = hostile.count * min(flow.count, sent + 1) / flow.count
            if hostileDue > hostileSent {
                try await writer.send(Array(hostile[hostileSent..<hostileDue]))
                hostileSent = hostileDue
            }
            let due = min(flow.count, Int((ContinuousClock.now - start).seconds * Double(rate)) + 1)
            if due > sent {
                let records = flow[sent..<due].map { command in
                    switch command {
                    case .submit(let order): writer.record(Envelope(command: order, source: "ecoctl-chaos"), to: .marketOrders)
                    case .cancel(let cancel): writer.record(Envelope(command: cancel, source: "ecoctl-chaos"), to: .marketOrders)
                    }
                }
                try await writer.send(records: records)
                sent = due
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        if hostileSent < hostile.count { try await writer.send(Array(hostile[hostileSent...])) }
    }

    private static func endedOrders(_ log: EventLog, ids: Set<String>) -> Int {
        let filled = ChaosAudit.filledQuantities(log.matching.distinctPayloads(TradeExecuted.self))
        var ended = Set(log.matching.payloads(OrderRejected.self).map(\.orderId))
        ended.formUnion(log.matching.payloads(OrderCancelled.self).map(\.orderId))
        ended.formUnion(log.matching.payloads(OrderExpired.self).map(\.orderId))
        for accepted in log.matching.payloads(OrderAccepted.self) where filled[accepted.orderId] == accepted.quantity {
            ended.insert(accepted.orderId)
        }
        return ended.intersection(ids).count
    }

    /// `ecoctl reconcile` itself, against this run's broker and admin ports.
    private func runReconcile(_ stack: DemoStack) async throws -> Bool {
        let endpoints = stack.services.map { "\($0.key)=127.0.0.1:\($0.value.adminPort)" }.sorted().joined(separator: ",")
        print("")
        print("$ ecoctl reconcile")
        let command = try Reconcile.parse(["--brokers", stack.brokers, "--services", endpoints])
        do {
            try await command.run()
            return true
        } catch {
            return false
        }
    }
}
