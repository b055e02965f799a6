import Contract
import EcoTestKit
import Foundation
import Testing

/// The contract's versioning rule against the real executables (`EventPayload.supportedVersions`
/// is 1...1 for every type today): unknown optional fields are ignored; a newer version that
/// only adds optional fields declares `compatibleWith` the version it extends and is processed
/// by readers of that version; a version a reader does not support, without such a
/// declaration, is a major change and is refused with a reason naming it.
@Suite("Schema evolution", .serialized)
struct SchemaEvolutionTests {
    /// A DepositFunds and a RegisterEntity written by a newer producer: extra fields in `data`
    /// and in the envelope itself, under a version the consumers support.
    static func evolved(_ json: String) -> String {
        // Canonical JSON ends `..."data":{...},"id":...}`; add a field before the data's first key
        // and one to the envelope.
        json.replacingOccurrences(of: "\"data\":{", with: "\"data\":{\"aNewOptionalField\":{\"channel\":\"swift\",\"tags\":[1,2]},")
            .replacingOccurrences(of: "\"id\":", with: "\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\",\"id\":")
    }

    static func text<P: EventPayload>(_ payload: P, id: UUID, version: Int, compatibleWith: Int? = nil) -> String {
        let header = EnvelopeHeader(id: id, type: P.eventType, version: version, occurredAt: .now(), source: "newer-producer",
                                    compatibleWith: compatibleWith)
        return String(decoding: EventCodec().encode(header: header, payload: payload), as: UTF8.self)
    }

    @Test func aMinorEvolutionWithUnknownOptionalFieldsIsAppliedWithItsEffect() async throws {
        let fixture = try await ReliabilityFixture()
        defer { fixture.stop() }
        let deposit = DepositFunds(accountId: "E-co", amount: 123_456, reference: "bank-evolved")
        let depositText = Self.evolved(Self.text(deposit, id: UUID(), version: DepositFunds.currentVersion))
        #expect(depositText.contains("aNewOptionalField") && depositText.contains("traceparent"))
        try await fixture.writer.sendRaw(Data(depositText.utf8), key: "E-co", to: .settlementCommands,
                                         headers: [("type", Data("DepositFunds".utf8)), ("version", Data("1".utf8))])
        let registration = RegisterEntity(plant("E-co", serial: 21))
        try await fixture.writer.sendRaw(Data(Self.evolved(Self.text(registration, id: UUID(), version: 1)).utf8), key: "E-co",
                                         to: .registryCommands)

        let deposited = try await fixture.reader(.settlementEvents).await(FundsDeposited.self, timeout: .seconds(60)) { $0.accountId == "E-co" }
        #expect(deposited == FundsDeposited(accountId: "E-co", amount: 123_456, reference: "bank-evolved"))
        try await fixture.eventually("the deposit is on the account") {
            try await fixture.admin(fixture.settlement, "/accounts/E-co", as: AccountView.self).available == 123_456
        }
        let registered = try await fixture.reader(.registryEvents).await(EntityRegistered.self, timeout: .seconds(60)) {
            $0.profile.entityId == "E-co"
        }
        #expect(registered.profile == registration.profile)
        // Its downstream consumers read the registry's event too (air-alert's enterprise list).
        try await fixture.eventually("nothing was dead-lettered", timeout: .seconds(5)) {
            try [Topic.settlementCommands, .registryCommands, .registryEvents].allSatisfy { try fixture.reader($0.deadLetter).records.isEmpty }
        }
    }

    /// Version 2 of DepositFunds with an added optional field, declared compatible with 1: the
    /// current settlement (a version-1 reader) applies it.
    @Test func aV2EventWithAnAddedOptionalFieldIsProcessedByCurrentConsumers() async throws {
        let fixture = try await ReliabilityFixture()
        defer { fixture.stop() }
        let deposit = DepositFunds(accountId: "V-co", amount: 4_242, reference: "bank-v2-additive")
        let text = Self.evolved(Self.text(deposit, id: UUID(), version: 2, compatibleWith: 1))
        #expect(text.contains("\"version\":2") && text.contains("\"compatibleWith\":1") && text.contains("aNewOptionalField"))
        try await fixture.writer.sendRaw(Data(text.utf8), key: "V-co", to: .settlementCommands,
                                         headers: [("type", Data("DepositFunds".utf8)), ("version", Data("2".utf8))])
        let deposited = try await fixture.reader(.settlementEvents).await(FundsDeposited.self, timeout: .seconds(60)) { $0.accountId == "V-co" }
        #expect(deposited == FundsDeposited(accountId: "V-co", amount: 4_242, reference: "bank-v2-additive"))
        try await fixture.eventually("the deposit is on the account") {
            try await fixture.admin(fixture.settlement, "/accounts/V-co", as: AccountView.self).available == 4_242
        }
        #expect(try fixture.reader(Topic.settlementCommands.deadLetter).records.isEmpty)
    }

    @Test func anUnknownMajorVersionIsDeadLetteredWithAReasonNamingTheVersion() async throws {
        let fixture = try await ReliabilityFixture()
        defer { fixture.stop() }
        let id = UUID()
        let deposit = DepositFunds(accountId: "F-co", amount: 1_000, reference: "bank-v2")
        let text = Self.evolved(Self.text(deposit, id: id, version: 2))
        try await fixture.writer.sendRaw(Data(text.utf8), key: "F-co", to: .settlementCommands,
                                         headers: [("type", Data("DepositFunds".utf8)), ("version", Data("2".utf8))])

        let letter = try await fixture.reader(Topic.settlementCommands.deadLetter).awaitDeadLetter(timeout: .seconds(60)) {
            $0.eventId == id.uuidString.lowercased()
        }
        #expect(letter.code == "unsupported-version")
        #expect(letter.reason.contains("version 2"), "\(letter.reason)")
        #expect(letter.consumer == "settlement" && letter.topic == "settlement.commands" && letter.originalValue == Data(text.utf8))
        let rejected = try await fixture.reader(.settlementEvents).await(CommandRejected.self, timeout: .seconds(30)) {
            $0.commandId == id.uuidString.lowercased()
        }
        #expect(rejected.code == "unsupported-version" && rejected.reason.contains("version 2"))
        #expect(try fixture.reader(.settlementEvents).payloads(FundsDeposited.self).isEmpty, "a refused version has no effect")
        #expect(fixture.settlement.isRunning)
        try await fixture.settlement.waitUntilReady(timeout: .seconds(10))
    }
}
