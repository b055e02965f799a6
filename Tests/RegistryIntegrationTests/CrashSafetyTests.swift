import Contract
import EcoTestKit
import Foundation
import GRDB
import Testing

/// DESIGN.md section 3, step 4: a crash anywhere loses nothing and duplicates no effect.
@Suite("Registry crash safety", .serialized)
struct CrashSafetyTests {
    @Test func sigkillMidStreamThenRestartRegistersEveryEntityExactlyOnce() async throws {
        let total = 3000
        // Small batches so that the kill lands between many commits.
        let fixture = try await RegistryFixture(extraArguments: ["--batch-size", "50"])
        defer { fixture.stop() }
        let commands = (0..<total).map { Envelope(command: RegisterEntity(plant(String(format: "E-%05d", $0))), source: "test") }
        // Paced (about 4,000 commands a second, slower than the registry applies them), so the
        // kill lands while commands are still arriving however fast the registry has become: sent
        // all at once, they were sometimes all applied before the reader had seen a fifth.
        let writer = fixture.writer
        let sending = Task {
            for chunk in stride(from: 0, to: total, by: 100) {
                try await writer.sendAll(Array(commands[chunk..<min(total, chunk + 100)]), to: .registryCommands)
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        try await fixture.events.awaitCount(total / 5, timeout: .seconds(60)) { $0.type == "EntityRegistered" }
        fixture.registry.kill9()
        let seenAtKill = fixture.events.records.filter { $0.type == "EntityRegistered" }.count
        #expect(seenAtKill < total, "the kill should land mid-stream")
        try await sending.value

        try fixture.registry.start()
        try await fixture.registry.waitUntilReady(timeout: .seconds(60))
        try await fixture.events.awaitCount(total, timeout: .seconds(120)) { $0.type == "EntityRegistered" }
        try await Task.sleep(for: .seconds(1))  // let any re-published copies arrive too

        let registered = fixture.events.records.filter { $0.type == "EntityRegistered" }
        var idsByEntity: [String: Set<String>] = [:]
        var valuesById: [String: Set<Data>] = [:]
        for record in registered {
            guard let entity = record.payload(EntityRegistered.self)?.profile.entityId, let id = record.id else { continue }
            idsByEntity[entity, default: []].insert(id)
            valuesById[id, default: []].insert(record.record.value)
        }
        #expect(idsByEntity.count == total, "every entity registered")
        #expect(idsByEntity.values.allSatisfy { $0.count == 1 }, "one event id per entity")
        #expect(valuesById.values.allSatisfy { $0.count == 1 }, "a re-published copy is byte-identical")
        #expect(fixture.events.payloads(CommandRejected.self).isEmpty, "no command was seen as a second registration")
        #expect(try fixture.entityCount() == total)
        let history = try fixture.count("SELECT COUNT(*) FROM entity_history")
        #expect(history == total)
    }
}
