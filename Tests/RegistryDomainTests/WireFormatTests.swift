import Foundation
import Testing
import RegistryDomain

/// The JSON shapes the service reads and writes with these types.
@Suite struct WireFormatTests {
    @Test func entityDecodesFromARegisterEntityPayload() throws {
        let json = """
            {"entityId":"E1","name":"Plant","creditCode":"91350100M000100Y43","sector":"power",
             "district":"chenghua","nationalETS":true,"pilotMarket":null,"vocEmitter":false,
             "greenBenchmark":true,"units":[{"unitId":"U1","category":"coal-300mw-or-below",
             "capacityMW":300,"cooling":"air"}]}
            """
        let entity = try JSONDecoder().decode(Entity.self, from: Data(json.utf8))
        #expect(entity.units == [GeneratingUnit(unitId: "U1", category: .coal300MWOrBelow, capacityMW: 300, cooling: .air)])
        #expect(entity.pilotMarket == nil)
        #expect(RegistrationPolicy().refusals(for: entity).isEmpty)
    }

    @Test func rulesEncodeCategoriesAsAnObjectKeyedByContractName() throws {
        let json = try JSONEncoder().encode(AllocationRules.plan2019To2020)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        let categories = object?["categories"] as? [String: Any]
        #expect(Set(categories?.keys ?? [:].keys) == Set(UnitCategory.allCases.map(\.rawValue)))
        #expect(object?["effectiveDate"] as? String == "2019-01-01")
    }

    @Test func entityAllocationCarriesTheExactTotalAsAString() throws {
        let entity = Fixtures.powerEntity(units: [Fixtures.unit("U1"), Fixtures.unit("U2")])
        let outputs = ["U1", "U2"].map { UnitOutput(unitId: $0, electricityMWh: Decimal(string: "0.5") ?? 0, loadRate: 1) }
        let allocation = try AllocationCalculator().finalAllocation(entity: entity, outputs: outputs)
        let json = try JSONEncoder().encode(allocation)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["exactTotal"] as? String == "0.877")
        #expect(object?["quantity"] as? Int == 1)
        #expect(try JSONDecoder().decode(EntityAllocation.self, from: json) == allocation)
    }

    @Test func journalEntriesRoundTrip() throws {
        var ledger = HoldingsLedger(owners: ["S"], tradingDay: CalendarDay("2021-07-16"))
        let entry = try ledger.issue(to: "S", .cea, quantity: 10, reference: "r")
        let json = try JSONEncoder().encode(entry)
        #expect(try JSONDecoder().decode(JournalEntry.self, from: json) == entry)
        #expect(String(decoding: json, as: UTF8.self).contains("\"2021-07-16\""))
    }
}
