import Contract
import EcoTestKit
import Foundation

/// Readers of every event topic the demo watches, and a way to wait for what a step should produce.
struct EventLog {
    let registry: TopicReader
    let matching: TopicReader
    let settlement: TopicReader
    let alerts: TopicReader
    let progress: Progress

    init(brokers: String, progress: Progress) throws {
        registry = try TopicReader(brokers: brokers, topic: .registryEvents, catalogue: .registryEvents)
        matching = try TopicReader(brokers: brokers, topic: .matchingEvents, catalogue: .matchingEvents)
        settlement = try TopicReader(brokers: brokers, topic: .settlementEvents, catalogue: .settlementEvents)
        alerts = try TopicReader(brokers: brokers, topic: .airAlerts, catalogue: .airAlerts)
        self.progress = progress
    }

    func close() {
        for reader in [registry, matching, settlement, alerts] { reader.close() }
    }

    /// Waits until `count()` reaches `target`, showing progress; fails with `what` after `timeout`.
    func wait(_ label: String, for target: Int, timeout: TimeInterval = 180, _ count: () -> Int) async throws {
        let started = Date()
        var done = count()
        while done < target, Date().timeIntervalSince(started) < timeout {
            progress.update(label, done: done, of: target)
            try await Task.sleep(for: .milliseconds(100))
            done = count()
        }
        progress.finish(label, total: done, seconds: Date().timeIntervalSince(started))
        guard done >= target else { throw DemoFailure("\(label): \(done) of \(target) within \(Int(timeout)) s") }
    }

    /// Lets late events of a step arrive when the exact count is not known in advance.
    func settle(_ reader: TopicReader, quietFor milliseconds: Int = 700, timeout: TimeInterval = 30) async throws {
        let started = Date()
        var last = reader.records.count
        var quietSince = Date()
        while Date().timeIntervalSince(started) < timeout {
            try await Task.sleep(for: .milliseconds(100))
            let now = reader.records.count
            if now != last { last = now; quietSince = Date() }
            if Date().timeIntervalSince(quietSince) * 1000 >= Double(milliseconds) { return }
        }
    }
}
