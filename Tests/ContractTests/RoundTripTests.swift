import Contract
import Foundation
import Testing

/// Every payload type survives the wire unchanged, in canonical bytes, with the contract's keys.
@Suite("Round trips")
struct RoundTripTests {
    @Test("every type of the catalogue has a sample")
    func everyCatalogueTypeHasASample() {
        let sampled = Set((Samples.all + SamplesAdditions.all).map { type(of: $0).eventType })
        #expect(Set(PayloadCatalogue.all.eventTypes) == sampled)
    }

    @Test("every type DESIGN.md lists exists in the code's catalogue")
    func everyDesignTypeExists() {
        let missing = Set(DesignFields.byType.keys).subtracting(PayloadCatalogue.all.eventTypes.map(\.rawValue))
        #expect(missing.isEmpty, "\(missing.sorted())")
    }

    @Test("every sample passes its own validation", arguments: Sample.all)
    func sampleValidates(_ sample: Sample) throws {
        try sample.payload.validate()
    }

    @Test("a record decodes to the value it was encoded from", arguments: Sample.all)
    func roundTripThroughCodec(_ sample: Sample) throws {
        let header = Samples.header(for: sample.payload)
        let decoded = try Wire.codec.decode(Wire.encode(sample.payload), catalogue: .all)
        #expect(decoded.header == header)
        #expect(same(decoded.payload, sample.payload))
    }

    @Test("a record decodes with the catalogue of each topic it travels on", arguments: Sample.all)
    func roundTripThroughItsTopicCatalogue(_ sample: Sample) throws {
        let topics = PayloadCatalogue.topics(of: type(of: sample.payload).eventType)
        #expect(!topics.isEmpty)
        for topic in topics {
            let decoded = try Wire.codec.decode(Wire.encode(sample.payload), catalogue: .catalogue(of: topic))
            #expect(same(decoded.payload, sample.payload), "on \(topic)")
        }
    }

    @Test("re-encoding a decoded record gives the same bytes", arguments: Sample.all)
    func reEncodingIsByteIdentical(_ sample: Sample) throws {
        let first = Wire.encode(sample.payload)
        let decoded = try Wire.codec.decode(first, catalogue: .all)
        let second = Wire.codec.encode(header: decoded.header, payload: decoded.payload)
        #expect(second == first)
    }

    @Test("the data object carries every field DESIGN.md names", arguments: Sample.all)
    func dataCarriesEveryDesignField(_ sample: Sample) throws {
        let name = type(of: sample.payload).eventType.rawValue
        // Types added after DESIGN.md (the services' additions) have no fields listed there.
        guard let required = DesignFields.byType[name] else { return }
        let missing = required.subtracting(Wire.dataKeys(sample.payload))
        #expect(missing.isEmpty, "\(name) lacks \(missing.sorted())")
    }

    @Test("the partition key is the value of the topic's key field when the payload has one",
          arguments: Sample.all)
    func partitionKeyIsTheTopicKeyField(_ sample: Sample) {
        let data = Wire.object(Wire.encode(sample.payload))["data"] as? [String: Any] ?? [:]
        for topic in PayloadCatalogue.topics(of: type(of: sample.payload).eventType) {
            guard let key = TopicSpec.catalogue.first(where: { $0.topic == topic })?.key,
                  let value = data[key] as? String else { continue }
            #expect(sample.payload.partitionKey == value, "\(key) on \(topic)")
        }
    }

    @Test("the canonical encoding of an order is exactly the documented JSON")
    func canonicalOrderBytes() {
        let header = EnvelopeHeader(id: DeterministicID.nameBased("order-42"), type: SubmitOrder.eventType,
                                    version: 1, occurredAt: Timestamp(iso8601: "2026-07-16T01:30:00Z") ?? Samples.instant,
                                    source: "ops", correlationId: "order-42")
        let bytes = Wire.codec.encode(Envelope(header: header, data: Samples.submitOrder))
        let id = header.id.uuidString.lowercased()
        let expected = #"{"correlationId":"order-42","data":{"accountId":"ent-0001","instrument":"CEA","method":"listed","#
            + #""orderId":"order-42","price":5250,"quantity":1000,"side":"buy"},"id":"\#(id)","occurredAt":"#
            + #""2026-07-16T01:30:00.000Z","source":"ops","type":"SubmitOrder","version":1}"#
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test("an optional field left nil is omitted rather than written as null")
    func nilOptionalIsOmitted() {
        #expect(!Wire.dataKeys(Samples.submitOrder).contains("counterpartyId"))
        #expect(!Wire.dataKeys(CloseSession(instrument: .cea, tradingDay: Samples.day)).contains("referencePrice"))
    }

    @Test("a field this build does not know is ignored, so newer producers stay readable")
    func unknownFieldIsIgnored() throws {
        let bytes = Wire.edited(Samples.submitOrder) { $0["timeInForce"] = "day" }
        let decoded = try Wire.codec.decode(bytes, catalogue: .marketOrders)
        #expect(decoded.payload(as: SubmitOrder.self) == Samples.submitOrder)
    }

    @Test("an explicit null for an optional field reads as absent")
    func nullOptionalReadsAsAbsent() throws {
        let bytes = Wire.edited(Samples.submitOrder) { $0["counterpartyId"] = NSNull() }
        let decoded = try Wire.codec.decode(bytes, catalogue: .marketOrders)
        #expect(decoded.payload(as: SubmitOrder.self)?.counterpartyId == nil)
    }

    @Test("enumerations are written as their lowercase wire values")
    func enumerationsAreLowercase() {
        let data = Wire.object(Wire.encode(RegisterEntity(Samples.profile)))["data"] as? [String: Any]
        let units = data?["units"] as? [[String: Any]] ?? []
        #expect(units.first?["category"] as? String == "coal-above-300mw")
        #expect(units.last?["cooling"] as? String == "air")
        #expect(data?["sector"] as? String == "power")
    }

    @Test("allocation factors travel as exact decimal text")
    func allocationFactorsAreDecimalText() {
        let allocated = AllowancesAllocated(entityId: "ent-0001", year: 2025, phase: .pre, quantity: 1,
                                            units: [Samples.unitAllocation])
        let data = Wire.object(Wire.encode(allocated))["data"] as? [String: Any]
        let unit = (data?["units"] as? [[String: Any]])?.first
        #expect(unit?["electricityBenchmark"] as? String == "0.877")
        #expect(unit?["loadFactor"] as? String == "1.0112")
    }
}
