import Contract
import EcoTestKit
import Foundation
import RegistryDomain
import Testing

/// Each ecoctl subcommand through a real broker (and the real registry where a service is needed).
@Suite("ecoctl", .serialized)
struct EcoctlTests {
    let entityJSON = #"{"entityId":"E-CLI","name":"CLI plant","creditCode":"91350100M000100Y43","sector":"power","district":"jinjiang","nationalETS":true,"vocEmitter":false,"greenBenchmark":false,"units":[{"unitId":"U1","category":"gas","capacityMW":300,"cooling":"water"}]}"#

    @Test func topicsCreateProvisionsTheCatalogueIdempotently() async throws {
        let broker = try BrokerFixture(createTopics: false)
        defer { broker.stop() }
        let first = try await ecoctl(["topics", "create"], brokers: broker.brokers)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.stdout.split(separator: "\n").filter { $0.hasPrefix("created") }.count == TopicSpec.catalogue.count)
        let second = try await ecoctl(["topics", "create", "--brokers", broker.brokers])
        #expect(second.status == 0)
        #expect(second.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("exists") })
        let list = try await ecoctl(["topics", "list"], brokers: broker.brokers)
        for spec in TopicSpec.catalogue {
            #expect(list.stdout.contains("\(spec.topic.rawValue)\t\(spec.partitions)"))
        }
    }

    @Test func sendProducesAValidatedCommandThatTheRegistryApplies() async throws {
        let broker = try BrokerFixture()
        defer { broker.stop() }
        let registry = try ServiceProcess("registry", brokers: broker.brokers)
        try registry.start()
        defer { registry.stop() }
        try await registry.waitUntilReady()
        let events = try TopicReader(brokers: broker.brokers, topic: .registryEvents, catalogue: .registryEvents)
        defer { events.close() }
        let sent = try await ecoctl(["send", "RegisterEntity", "--data", entityJSON, "--correlation-id", "cli-1"], brokers: broker.brokers)
        #expect(sent.status == 0, "\(sent.output)")
        let id = sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(UUID(uuidString: id) != nil)
        try await events.await(EntityRegistered.self) { $0.profile.entityId == "E-CLI" }
        let record = try #require(events.records.first { $0.type == "EntityRegistered" })
        #expect(record.envelope?.header.causationId?.uuidString.lowercased() == id)
        #expect(record.envelope?.header.correlationId == "cli-1")
    }

    @Test func sendRefusesInvalidDataWithTheReasonAndProducesNothing() async throws {
        let broker = try BrokerFixture()
        defer { broker.stop() }
        let refused = try await ecoctl(["send", "RegisterEntity", "--data", #"{"entityId":"E-1","sector":"mining"}"#], brokers: broker.brokers)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("missing field") || refused.stderr.contains("mining"))
        #expect(!refused.output.contains("Stack") && !refused.output.contains("Fatal error"))
        let reader = try TopicReader(brokers: broker.brokers, topic: .registryCommands, catalogue: .registryCommands)
        defer { reader.close() }
        try await Task.sleep(for: .milliseconds(500))
        #expect(reader.records.isEmpty)
    }

    @Test func sendBuildsACommandFromFieldFlags() async throws {
        let broker = try BrokerFixture()
        defer { broker.stop() }
        let reader = try TopicReader(brokers: broker.brokers, topic: .settlementCommands, catalogue: .settlementCommands)
        defer { reader.close() }
        let sent = try await ecoctl(["send", "DepositFunds", "--field", "accountId=PWR-0001", "--field", "amount=500000",
                                     "--field", "reference=bank-1"], brokers: broker.brokers)
        #expect(sent.status == 0, "\(sent.output)")
        let deposit = try await reader.await(DepositFunds.self)
        #expect(deposit == DepositFunds(accountId: "PWR-0001", amount: 500_000, reference: "bank-1"))
        let refused = try await ecoctl(["send", "DepositFunds", "--field", "accountId=PWR-0001", "--field", "amount=-5",
                                        "--field", "reference=bank-2"], brokers: broker.brokers)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("amount"))
    }

    @Test func tailRendersRecordsAndFiltersByType() async throws {
        let broker = try BrokerFixture()
        defer { broker.stop() }
        let registry = try ServiceProcess("registry", brokers: broker.brokers)
        try registry.start()
        defer { registry.stop() }
        try await registry.waitUntilReady()
        _ = try await ecoctl(["send", "RegisterEntity", "--data", entityJSON], brokers: broker.brokers)
        _ = try await ecoctl(["send", "RegisterEntity", "--data", entityJSON], brokers: broker.brokers)  // refused: exists
        let readable = try await ecoctl(["tail", "registry.events", "--from-beginning", "--limit", "2", "--idle-seconds", "10"],
                                        brokers: broker.brokers)
        #expect(readable.status == 0, "\(readable.output)")
        #expect(readable.stdout.contains("EntityRegistered key=E-CLI"))
        #expect(readable.stdout.contains("CommandRejected"))
        let filtered = try await ecoctl(["tail", "registry.events", "--from-beginning", "--type", "CommandRejected", "--json",
                                         "--idle-seconds", "2"], brokers: broker.brokers)
        let lines = filtered.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains(#""code":"entity-exists""#) == true)
    }

    @Test func deadLettersCanBeListedShownAndReplayed() async throws {
        let broker = try BrokerFixture()
        defer { broker.stop() }
        let registry = try ServiceProcess("registry", brokers: broker.brokers)
        try registry.start()
        defer { registry.stop() }
        try await registry.waitUntilReady()
        let writer = try TopicWriter(brokers: broker.brokers)
        defer { writer.close() }
        try await writer.sendRaw(Data("{broken".utf8), key: "E-9", to: .registryCommands)
        let letters = try TopicReader(brokers: broker.brokers, topic: Topic.registryCommands.deadLetter, catalogue: .registryCommands)
        defer { letters.close() }
        try await letters.awaitDeadLetter { $0.code == "malformed-json" }

        let list = try await ecoctl(["dlq", "list", "registry.commands"], brokers: broker.brokers)
        #expect(list.status == 0)
        #expect(list.stdout.contains("malformed-json  registry.commands["))
        let show = try await ecoctl(["dlq", "show", "registry.commands.dlq", "0"], brokers: broker.brokers)
        #expect(show.stdout.contains(#""value" : "{broken""#))

        let fixed = FileManager.default.temporaryDirectory.appendingPathComponent("fixed-\(UUID()).json")
        let envelope = Envelope(command: RegisterEntity(try JSONDecoder().decode(EntityProfile.self, from: Data(entityJSON.utf8))),
                                source: "test")
        try EventCodec().encode(envelope).write(to: fixed)
        let replay = try await ecoctl(["dlq", "replay", "registry.commands.dlq", "--offsets", "0", "--fixed-value", fixed.path],
                                      brokers: broker.brokers)
        #expect(replay.status == 0, "\(replay.output)")
        let events = try TopicReader(brokers: broker.brokers, topic: .registryEvents, catalogue: .registryEvents)
        defer { events.close() }
        try await events.await(EntityRegistered.self) { $0.profile.entityId == "E-CLI" }
    }

    @Test func statusShowsHealthReadinessAndDeadLetters() async throws {
        let broker = try BrokerFixture()
        defer { broker.stop() }
        let registry = try ServiceProcess("registry", brokers: broker.brokers)
        try registry.start()
        defer { registry.stop() }
        try await registry.waitUntilReady()
        let status = try await ecoctl(["status", "--services", "registry=127.0.0.1:\(registry.adminPort),matching=127.0.0.1:1"],
                                      brokers: broker.brokers)
        #expect(status.status == 0, "\(status.output)")
        let registryRow = status.stdout.split(separator: "\n").first { $0.hasPrefix("registry") }
        #expect(registryRow?.contains("ok") == true && registryRow?.contains("yes") == true)
        #expect(status.stdout.split(separator: "\n").first { $0.hasPrefix("matching") }?.contains("down") == true)
        #expect(status.stdout.contains("registry.commands.dlq"))
    }

    @Test(arguments: [
        ["send"], ["send", "RegisterEntity"], ["send", "DepositFunds", "--field", "novalue"], ["send", "NoSuchType", "--data", "{}"], ["tail"], ["dlq", "replay", "x.dlq"],
        ["topics", "create", "--retention-hours", "-1"], ["demo", "--power-plants", "0"], ["status", "--services", "oops"],
        ["no-such-command"], ["offsets", "show", "--db", "/nonexistent/registry.sqlite"],
        ["offsets", "set", "--db", "x.sqlite", "--topic", "registry.commands"],
        ["offsets", "set", "--db", "x.sqlite", "--topic", "registry.commands", "--partition", "0", "--offset", "5", "--log-end"],
        ["offsets", "set", "--db", "x.sqlite", "--lost-logs", "--partition", "0"],
    ])
    func badArgumentsGiveAClearMessageAndANonZeroExit(arguments: [String]) async throws {
        let run = try await ecoctl(arguments, brokers: "127.0.0.1:1", timeout: 30)
        #expect(run.status != 0)
        #expect(run.stderr.contains("Error:"), "\(run.output)")
        #expect(!run.output.contains("Fatal error") && !run.output.contains("Stack dump"))
    }

    @Test func everySubcommandHasHelp() async throws {
        for command in [["topics", "create"], ["topics", "list"], ["send"], ["tail"], ["status"], ["dlq", "list"], ["dlq", "show"],
                        ["dlq", "replay"], ["demo"], ["offsets", "show"], ["offsets", "set"]] {
            let help = try await ecoctl(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE:") || help.stdout.contains("Usage:"), "\(command)")
        }
    }
}
