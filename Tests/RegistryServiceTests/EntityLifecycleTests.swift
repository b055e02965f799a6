import Contract
import Foundation
import RegistryDomain
@testable import RegistryService
import Testing

/// RegisterEntity, UpdateEntity, DeregisterEntity: events, history, refusals that change nothing.
@Suite("Registry entities")
struct EntityLifecycleTests {
    let registry: RegistryHarness

    init() throws { registry = try RegistryHarness() }

    @Test func registerEmitsEntityRegisteredAndOpensAnAccount() throws {
        let events = try registry.send(RegisterEntity(plant("E-1")))
        #expect(events.payloads(EntityRegistered.self).map(\.profile) == [plant("E-1")])
        #expect(events.first?.key == "E-1")
        #expect(try registry.count("SELECT COUNT(*) FROM entity_history WHERE entityId = 'E-1'") == 1)
    }

    @Test func updateReplacesTheProfileAndKeepsEveryVersion() throws {
        try registry.send(RegisterEntity(plant("E-1")))
        var changed = plant("E-1", name: "Renamed plant")
        changed.units.append(GeneratingUnitSpec(unitId: "U2", category: .gas, capacityMW: 200, cooling: .air))
        let events = try registry.send(UpdateEntity(changed))
        #expect(events.payloads(EntityUpdated.self).map(\.profile) == [changed])
        let (_, record) = try registry.admin("/entities/{id}", parameters: ["id": "E-1"], as: EntityRecord.self)
        #expect(record?.profile == changed)
        #expect(record?.version == 2)
        let (_, history) = try registry.admin("/entities/{id}/history", parameters: ["id": "E-1"], as: [EntityVersion].self)
        #expect(history?.map(\.change) == ["registered", "updated"])
        #expect(history?.first?.profile == plant("E-1"))
    }

    @Test func anUpdateThatBreaksTheRulesIsRefusedAndChangesNothing() throws {
        try registry.send(RegisterEntity(plant("E-1")))
        var pilot = plant("E-1")
        pilot.pilotMarket = "shanghai"
        let events = try registry.send(UpdateEntity(pilot))
        #expect(events.payloads(CommandRejected.self).map(\.code) == ["national-and-pilot-market"])
        #expect(events.payloads(EntityUpdated.self).isEmpty)
        let (_, record) = try registry.admin("/entities/{id}", parameters: ["id": "E-1"], as: EntityRecord.self)
        #expect(record?.version == 1)
        #expect(try registry.count("SELECT COUNT(*) FROM entity_history") == 1)
    }

    @Test func updatingAnUnknownEntityIsRefused() throws {
        let events = try registry.send(UpdateEntity(plant("E-none")))
        let refusal = try #require(events.payloads(CommandRejected.self).first)
        #expect(refusal.code == "unknown-entity")
        #expect(refusal.commandType == "UpdateEntity")
        #expect(refusal.key == "E-none")
        #expect(try registry.count("SELECT COUNT(*) FROM entities") == 0)
    }

    @Test func deregisterKeepsTheRecordAndHistoryWithTheReason() throws {
        try registry.send(RegisterEntity(plant("E-1")))
        let events = try registry.send(DeregisterEntity(entityId: "E-1", reason: "plant closed"))
        #expect(events.payloads(EntityDeregistered.self) == [EntityDeregistered(entityId: "E-1", reason: "plant closed")])
        let (_, record) = try registry.admin("/entities/{id}", parameters: ["id": "E-1"], as: EntityRecord.self)
        #expect(record?.status == "deregistered")
        #expect(record?.version == 2)
        let (_, history) = try registry.admin("/entities/{id}/history", parameters: ["id": "E-1"], as: [EntityVersion].self)
        #expect(history?.last?.change == "deregistered")
        #expect(history?.last?.reason == "plant closed")
    }

    @Test func aDeregisteredEntityCannotBeDeregisteredUpdatedOrRegisteredAgain() throws {
        try registry.send(RegisterEntity(plant("E-1")))
        try registry.send(DeregisterEntity(entityId: "E-1", reason: "plant closed"))
        let again = try registry.send(DeregisterEntity(entityId: "E-1", reason: "twice"))
        let update = try registry.send(UpdateEntity(plant("E-1", name: "Back")))
        let register = try registry.send(RegisterEntity(plant("E-1")))
        #expect(again.payloads(CommandRejected.self).map(\.code) == ["entity-deregistered"])
        #expect(update.payloads(CommandRejected.self).map(\.code) == ["entity-deregistered"])
        #expect(register.payloads(CommandRejected.self).map(\.code) == ["entity-exists"])
        #expect(try registry.count("SELECT COUNT(*) FROM entity_history") == 2)
    }

    @Test func aDeregisteredEntityIsSuspendedForTrading() throws {
        try registry.send(RegisterEntity(plant("E-1")))
        try registry.send(output("E-1", year: 2019, mwh: 1_000))
        try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        try registry.send(DeregisterEntity(entityId: "E-1", reason: "left the market"))
        let events = try registry.send(sell("S-1", by: "E-1", quantity: 10), to: .marketOrders)
        let refusal = try #require(events.payloads(FreezeRejected.self).first)
        #expect(refusal.code == "entity-suspended")
        #expect(refusal.orderId == "S-1")
        #expect(refusal.instrument == .cea)
        #expect(try registry.holding("E-1").frozen == 0)
    }

    @Test func aDeregisteredEntityIsLeftOutOfYearWideAllocation() throws {
        try registry.send(RegisterEntity(plant("E-1")))
        try registry.send(RegisterEntity(plant("E-2")))
        try registry.send(output("E-1", year: 2019, mwh: 1_000))
        try registry.send(output("E-2", year: 2019, mwh: 1_000))
        try registry.send(DeregisterEntity(entityId: "E-2", reason: "merged"))
        let events = try registry.send(AllocateAllowances(year: 2020, phase: .pre))
        #expect(events.payloads(AllowancesAllocated.self).map(\.entityId) == ["E-1"])
        #expect(events.payloads(CommandRejected.self).isEmpty)
    }
}
