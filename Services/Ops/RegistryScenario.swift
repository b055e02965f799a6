import Contract
import EcoTestKit
import Foundation

/// What the registration step produced, as read back from `registry.events`.
struct RegistrationResult {
    var registered: [EntityProfile]
    var refused: [CommandRejected]
    var sent: Int
}

/// The registry part of the scenario: register the national power sector and the city's
/// enterprises, plus two registrations the registry must refuse.
struct RegistryScenario {
    let writer: TopicWriter
    let events: TopicReader
    let data: DemoData
    let progress: Progress

    init(brokers: String, data: DemoData, progress: Progress) throws {
        writer = try TopicWriter(brokers: brokers)
        events = try TopicReader(brokers: brokers, topic: .registryEvents, catalogue: .registryEvents)
        self.data = data
        self.progress = progress
    }

    /// Closes the scenario's clients (before the broker they talk to stops).
    func close() {
        events.close()
        writer.close()
    }

    func registerEveryone() async throws -> RegistrationResult {
        let everyone = data.powerPlants + data.cityEnterprises
        progress.step("registering \(data.powerPlants.count) power plants of the national ETS and \(data.cityEnterprises.count) enterprises of \(DemoData.cityDistricts.count) city districts")
        let started = Date()
        let commands = (everyone + data.refusable).map { Envelope(command: RegisterEntity($0), source: "ecoctl-demo") }
        for chunk in stride(from: 0, to: commands.count, by: 1000) {
            try await writer.sendAll(Array(commands[chunk..<min(commands.count, chunk + 1000)]), to: .registryCommands)
        }
        let expected = commands.count
        let deadline = Date().addingTimeInterval(120)
        var answered = 0
        while answered < expected, Date() < deadline {
            answered = events.records.filter { $0.type == "EntityRegistered" || $0.type == "CommandRejected" }.count
            progress.update("registered", done: answered, of: expected)
            try await Task.sleep(for: .milliseconds(100))
        }
        progress.finish("registry answered", total: answered, seconds: Date().timeIntervalSince(started))
        guard answered >= expected else {
            throw DemoFailure("the registry answered \(answered) of \(expected) registrations within 120 s")
        }
        return RegistrationResult(registered: events.payloads(EntityRegistered.self).map(\.profile),
                                  refused: events.payloads(CommandRejected.self), sent: expected)
    }
}

struct DemoFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
