@testable import Contract
import Foundation
import Testing

/// The payloads read directly (`DirectJSONDecodable`) against the `Decodable` reading of the
/// same tree: equal for every valid payload, and no direct reading where `Decodable` gives up
/// or refuses (a member missing, null, of another kind, an unknown enumeration value).
@Suite("Trade-flow payloads read directly")
struct DirectDecodingTests {
    func expectSameReading<P: DirectJSONDecodable>(_: P.Type, _ json: Data) {
        guard let node = json.withUnsafeBytes({ FastJSON.parse($0) }) else {
            Issue.record("FastJSON refused valid JSON: \(String(decoding: json, as: UTF8.self))")
            return
        }
        let direct = P.decodeDirectly(from: node)
        let generic = FastJSON.decode(P.self, from: node)
        #expect(direct == generic, "\(P.self): \(String(decoding: json, as: UTF8.self))")
    }

    func expectSameReading(_ payload: any EventPayload, _ json: Data) {
        switch payload {
        case is SubmitOrder: expectSameReading(SubmitOrder.self, json)
        case is OrderAccepted: expectSameReading(OrderAccepted.self, json)
        case is TradeExecuted: expectSameReading(TradeExecuted.self, json)
        case is AllowancesFrozen: expectSameReading(AllowancesFrozen.self, json)
        case is AllowancesTransferred: expectSameReading(AllowancesTransferred.self, json)
        case is FundsReserved: expectSameReading(FundsReserved.self, json)
        case is TradeSettled: expectSameReading(TradeSettled.self, json)
        default: Issue.record("\(type(of: payload)) is not read directly")
        }
    }

    static func randomPayloads(_ random: inout TestRandom) -> [any EventPayload] {
        let side: Side = random.next() % 2 == 0 ? .buy : .sell
        let order = SubmitOrder(orderId: Fuzzed.randomString(&random), accountId: Fuzzed.randomString(&random),
                                instrument: "CEA", side: side, method: .block, quantity: Int64(bitPattern: random.next()),
                                price: Int64(random.next() % 10_000),
                                counterpartyId: random.next() % 2 == 0 ? nil : Fuzzed.randomString(&random))
        return [order] + TradeFlowJSONTests.randomPayloads(&random)
    }

    @Test func randomPayloadsReadAsDecodableReadsThem() throws {
        var random = TestRandom(seed: 0xDEC0DE)
        var read = 0
        for _ in 0..<500 {
            for payload in Self.randomPayloads(&random) {
                let json = try JSONEncoder().encode(payload)
                let node = try #require(json.withUnsafeBytes { FastJSON.parse($0) })
                let reader = try #require(PayloadCatalogue.all.fastReader(for: type(of: payload).eventType))
                let direct = try #require(reader.read(node))
                #expect(String(describing: direct) == String(describing: payload))
                expectSameReading(payload, json)
                read += 1
            }
        }
        #expect(read == 3_500)
    }

    @Test func damagedMembersAreLeftToDecodable() throws {
        var random = TestRandom(seed: 0xBAD)
        let replacements: [Any] = [NSNull(), 1.5, "x", 7, true, [String: Any](), [Any](), "buy", "2026-13-40", -0.0]
        var cases = 0
        for payload in Self.randomPayloads(&random) {
            let json = try JSONEncoder().encode(payload)
            let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            for key in object.keys.sorted() {
                var without = object
                without[key] = nil
                expectSameReading(payload, try JSONSerialization.data(withJSONObject: without))
                for replacement in replacements {
                    var changed = object
                    changed[key] = replacement
                    expectSameReading(payload, try JSONSerialization.data(withJSONObject: changed))
                    cases += 1
                }
            }
            var extra = object
            extra["unknownMember"] = ["nested": [1, 2, 3]]
            expectSameReading(payload, try JSONSerialization.data(withJSONObject: extra))
            expectSameReading(payload, try JSONSerialization.data(withJSONObject: [object]))
        }
        #expect(cases > 300)
    }

    @Test func everyOtherPayloadKeepsTheDecodablePath() {
        let direct: Set<EventType> = [SubmitOrder.eventType, OrderAccepted.eventType, TradeExecuted.eventType,
                                      AllowancesFrozen.eventType, AllowancesTransferred.eventType,
                                      FundsReserved.eventType, TradeSettled.eventType]
        for sample in Sample.all {
            let type = type(of: sample.payload)
            #expect((type as? any DirectJSONDecodable.Type != nil) == direct.contains(type.eventType), "\(type)")
        }
    }
}
