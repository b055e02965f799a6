import Contract
import EcoTestKit
import Foundation
import Store

extension ChaosAudit {
    /// Every hostile record was answered as the corpus says (a dead letter with a code and a
    /// reason, or exactly one refusal event with a reason, or dropped as a duplicate), and no
    /// dead letter appeared that no hostile record explains (a good record refused).
    mutating func checkHostile(_ records: [HostileRecord], brokers: String, log: EventLog) async throws {
        var readers: [Topic: TopicReader] = [.registryEvents: log.registry, .matchingEvents: log.matching,
                                             .settlementEvents: log.settlement, .airAlerts: log.alerts]
        var dlqReaders: [TopicReader] = []
        for topic in HostileConsumer.inputTopics {
            let reader = try TopicReader(brokers: brokers, topic: topic.deadLetter, catalogue: PayloadCatalogue([]))
            readers[topic.deadLetter] = reader
            dlqReaders.append(reader)
        }
        defer { for reader in dlqReaders { reader.close() } }
        let accounting = HostileAccounting(records)
        var problems: [HostileAccounting.Problem] = []
        let deadline = ContinuousClock.now + .seconds(120)
        repeat {
            try await Task.sleep(for: .seconds(1))
            problems = accounting.problems(readers: readers)
        } while !problems.isEmpty && ContinuousClock.now < deadline
        badRecordsUnanswered = problems.count
        // Whether the audit's own reads were complete: a missing answer with no gap here was
        // never on the broker to be read.
        let readGaps = readers.values.flatMap(\.offsetGaps)
        report.check("every one of \(records.count) hostile records refused with a reason (\(accounting.expectationCount) expected answers), no good record dead-lettered",
                     problems.isEmpty, detail: "\(problems.count) problems:\n" + HostileAccounting.report(problems, limit: 10)
                        + "\n--\nthe audit's reads: " + (readGaps.isEmpty ? "complete, no offset skipped" : readGaps.joined(separator: "; ")))
    }

    /// The faults themselves: every kill was survived (the service came back and was ready),
    /// every service was killed at least twice, and during the broker stall every service said
    /// it was not ready, then recovered on its own.
    mutating func checkFaults(kills: [KillOutcome], stall: StallOutcome?, plannedStall: Int, services: [String]) {
        let failed = kills.filter { !$0.survived }
        let superseded = kills.filter { $0.readyAfter == nil && $0.survived }.count
        report.check("\(kills.count) SIGKILLs survived: each service restarted on its SQLite file and was ready again\(superseded > 0 ? " (\(superseded) killed again while catching up)" : "")",
                     failed.isEmpty && !kills.isEmpty,
                     detail: failed.map { "\($0.service) at \(Int($0.at)) s: \($0.error ?? "not ready")" }.joined(separator: "; "))
        let perService = Dictionary(grouping: kills, by: \.service).mapValues(\.count)
        report.check("every service killed at least twice (\(perService.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))",
                     services.allSatisfy { perService[$0, default: 0] >= 2 })
        guard plannedStall > 0 else { return }
        guard let stall else {
            report.check("broker stall injected", false)
            return
        }
        let silent = Set(services).subtracting(stall.reportedNotReady)
        report.check("during the \(Int(stall.seconds)) s broker stall every service reported not ready (broker fault)", silent.isEmpty,
                     detail: "still ready: \(silent.sorted())")
        report.check("after the stall every service was ready again on its own\(stall.recoveredAfter.map { String(format: " (%.1f s)", $0) } ?? "")",
                     stall.recoveredAfter != nil)
    }
}

/// What a chaos run reports: the load it held, the faults it injected, and the verdict.
struct ChaosResult {
    var orders: Int
    var cancels: Int
    var accounts: Int
    var rate: Int
    var loadSeconds: Double
    var audit: ChaosAudit
    var kills: [KillOutcome]
    var stall: StallOutcome?
    var inputRecords: Int
    var badRecords: Int
    var offsetGaps: OffsetGapTally
    var seconds: Double
    var command: String

    /// Orders per second from the first order sent to the last trade settled.
    var heldRate: Double { loadSeconds > 0 ? Double(orders) / loadSeconds : 0 }

    var faultsText: String {
        var parts = ["\(kills.count) SIGKILL"]
        if let stall { parts.append(String(format: "%.0f s broker SIGSTOP", stall.seconds)) }
        return parts.joined(separator: " + ")
    }

    func render() -> String {
        let readyTimes = kills.compactMap(\.readyAfter).sorted()
        let lines = [
            "Chaos run \(audit.report.passed ? "PASSED" : "FAILED") in \(Int(seconds)) s",
            "  load: \(orders) orders + \(cancels) cancels over \(accounts) accounts, offered \(rate)/s, held \(String(format: "%.0f", heldRate)) orders/s (first order sent to last trade settled: \(String(format: "%.1f", loadSeconds)) s)",
            "  faults: \(faultsText); \(kills.filter { $0.at < loadSeconds }.count) of the kills before the last trade settled",
            "  kills survived: \(kills.filter(\.survived).count) of \(kills.count); ready again after \(readyTimes.first.map { String(format: "%.1f", $0) } ?? "-")-\(readyTimes.last.map { String(format: "%.1f", $0) } ?? "-") s",
            "  records: \(inputRecords) market.orders records and \(badRecords) hostile records sent, \(audit.eventRecords) events read (\(audit.republished) re-published copies), \(audit.trades) trades",
            "  lost: \(audit.lost) (orders without an outcome, trades not delivered or not settled), duplicated effects: \(audit.duplicatedEffects)",
            "  offset gaps: \(offsetGaps.summary)",
            "",
            audit.report.render(),
        ]
        return lines.joined(separator: "\n")
    }

    func json() throws -> Data {
        let object: [String: Any] = [
            "passed": audit.report.passed, "orders": orders, "cancels": cancels, "accounts": accounts, "offeredRate": rate,
            "heldOrdersPerSecond": (heldRate * 10).rounded() / 10, "loadSeconds": (loadSeconds * 10).rounded() / 10,
            "kills": kills.count, "killsDuringLoad": kills.filter { $0.at < loadSeconds }.count, "killsSurvived": kills.filter(\.survived).count,
            "stallSeconds": stall?.seconds ?? 0, "trades": audit.trades, "badRecords": badRecords, "eventRecords": audit.eventRecords,
            "offsetGapRefetches": offsetGaps.refetches, "offsetGapsSkipped": offsetGaps.skips, "offsetGapSourcesUnread": offsetGaps.unread,
            "republishedCopies": audit.republished, "lost": audit.lost, "badRecordsUnanswered": audit.badRecordsUnanswered, "duplicatedEffects": audit.duplicatedEffects,
            "checks": audit.report.lines, "command": command,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}

/// How often the services met offsets missing from a fetch during the run: the refetches counted
/// from their logs (which survive the kills, unlike the processes' counters), the gaps given up
/// read from their stores' `offset_moves`, where each one is kept with the offsets it skipped.
struct OffsetGapTally {
    var refetches = 0
    var skips = 0
    /// Services whose log or store could not be read: their gaps are not in the counts.
    var unread: [String] = []

    init(services: [ServiceProcess]) {
        for service in services.sorted(by: { $0.name < $1.name }) {
            if let text = try? String(contentsOf: service.logURL, encoding: .utf8) {
                for line in text.split(separator: "\n") where line.contains("records missing from a fetch") { refetches += 1 }
            } else {
                unread.append("\(service.name)'s log")
            }
            do {
                let store = try OffsetFile(path: service.dbPath)
                skips += try store.queue.read { try OffsetMoves.automaticSkips($0, service: service.name) }.count
            } catch {
                unread.append("\(service.name)'s store")
            }
        }
    }

    /// The counts as the report prints them, saying what could not be read.
    var summary: String {
        let counts = "\(refetches) fetches skipped offsets and were fetched again, \(skips) gaps given up"
            + " (refetches from the services' logs, gaps given up from their offset_moves)"
        return unread.isEmpty ? counts : counts + "; not read: " + unread.joined(separator: ", ")
    }
}
