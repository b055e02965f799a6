import Contract
import Foundation
import Testing

/// What a consumer does with a record it cannot use: a refusal with a code and a reason naming
/// the field, never a crash. `header` is returned whenever the envelope itself was readable.
@Suite("Decode failures")
struct DecodeFailureTests {
    let order = Samples.submitOrder

    @Test("a missing required field is missing-field, naming it")
    func missingField() {
        let failure = Wire.failure(Wire.edited(order) { $0["price"] = nil })
        #expect(failure?.error.code == "missing-field")
        #expect(failure?.error.reason.contains("data.price") == true)
        #expect(failure?.header?.type == SubmitOrder.eventType)
    }

    @Test("a null required field is missing-field")
    func nullRequiredField() {
        let failure = Wire.failure(Wire.edited(order) { $0["quantity"] = NSNull() })
        #expect(failure?.error.code == "missing-field")
    }

    @Test("a string where a number belongs is wrong-type")
    func wrongType() {
        let failure = Wire.failure(Wire.edited(order) { $0["quantity"] = "1000" })
        #expect(failure?.error.code == "wrong-type")
        #expect(failure?.error.reason.contains("data.quantity") == true)
    }

    @Test("a negative quantity is refused, naming the field and the value")
    func negativeQuantity() {
        let failure = Wire.failure(Wire.edited(order) { $0["quantity"] = -5 })
        #expect(failure?.error.code == "invalid-field")
        #expect(failure?.error.reason == "quantity must be positive, got -5")
        #expect(failure?.header != nil)
    }

    @Test("a zero price is refused")
    func zeroPrice() {
        let failure = Wire.failure(Wire.edited(order) { $0["price"] = 0 })
        #expect(failure?.error.code == "invalid-field")
        #expect(failure?.error.reason == "price must be positive, got 0")
    }

    @Test("an unknown enumeration value is refused with the allowed values")
    func unknownEnumValue() {
        let failure = Wire.failure(Wire.edited(order) { $0["side"] = "hold" })
        #expect(failure?.error.code == "invalid-field")
        #expect(failure?.error.reason.contains("'hold'") == true)
        #expect(failure?.error.reason.contains("buy, sell") == true)
        #expect(failure?.error.reason.contains("data.side") == true)
    }

    @Test("an enumeration value in the wrong case is unknown")
    func upperCaseEnumValue() {
        #expect(Wire.failure(Wire.edited(order) { $0["method"] = "LISTED" })?.error.code == "invalid-field")
    }

    @Test("an oversize string is oversize-field")
    func oversizeString() {
        let lifted = AlertLifted(alertId: "alert-1", district: "锦江区", reason: "x")
        let failure = Wire.failure(Wire.edited(lifted) { $0["reason"] = String(repeating: "x", count: 2_000) })
        #expect(failure?.error.code == "oversize-field")
        #expect(failure?.error.reason.contains("reason is 2000 bytes") == true)
    }

    @Test("an identifier with a space is refused")
    func badIdentifier() {
        let failure = Wire.failure(Wire.edited(order) { $0["orderId"] = "order 42" })
        #expect(failure?.error.code == "invalid-field")
        #expect(failure?.error.reason.hasPrefix("orderId") == true)
    }

    @Test("a malformed timestamp is refused, naming the field")
    func badTimestamp() {
        let trade = Samples.market.first { $0 is TradeExecuted } ?? order
        let failure = Wire.failure(Wire.edited(trade) { $0["executedAt"] = "2026-07-16 25:00:00Z" })
        #expect(failure?.error.code == "invalid-field")
        #expect(failure?.error.reason.contains("data.executedAt") == true)
    }

    @Test("a day that does not exist is refused")
    func badDay() {
        let open = OpenSession(instrument: .cea, tradingDay: Samples.day)
        let failure = Wire.failure(Wire.edited(open) { $0["tradingDay"] = "2026-02-30" })
        #expect(failure?.error.code == "invalid-field")
        #expect(failure?.error.reason.contains("2026-02-30") == true)
    }

    @Test("an unknown event type is unknown-type, with the header still returned")
    func unknownType() {
        let failure = Wire.failure(Wire.edited(order, inData: false) { $0["type"] = "Teleport" })
        #expect(failure?.error.code == "unknown-type")
        #expect(failure?.header?.type == "Teleport")
        #expect(failure?.header?.id == Samples.header(for: order).id)
    }

    @Test("an unsupported version is refused with the supported range and the header")
    func unsupportedVersion() {
        let failure = Wire.failure(Wire.encode(order, version: 2))
        #expect(failure?.error.code == "unsupported-version")
        #expect(failure?.error.reason.contains("supported: 1...1") == true)
        #expect(failure?.header?.version == 2)
    }

    @Test("a record above the size limit is refused before parsing")
    func oversizeRecord() {
        let failure = Wire.failure(Wire.encode(order), codec: EventCodec(maxRecordBytes: 100))
        #expect(failure?.error.code == "oversize-record")
        #expect(failure?.header == nil)
    }

    @Test("an empty record is malformed-json")
    func emptyRecord() {
        #expect(Wire.failure(Data())?.error.code == "malformed-json")
    }

    @Test("invalid UTF-8 is malformed-json")
    func invalidUTF8() {
        var bytes = Wire.encode(order)
        let at = bytes.range(of: Data("ent-0001".utf8))?.lowerBound ?? bytes.startIndex
        bytes.replaceSubrange(at..<(at + 2), with: [0xC3, 0x28])
        #expect(Wire.failure(bytes)?.error.code == "malformed-json")
    }

    @Test("a truncated record is malformed-json", arguments: [1, 20, 100, 160])
    func truncatedJSON(_ length: Int) {
        let bytes = Wire.encode(order).prefix(length)
        #expect(Wire.failure(Data(bytes))?.error.code == "malformed-json")
    }

    @Test("deeply nested JSON is refused without a crash")
    func deeplyNested() {
        let depth = 100_000
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let text = String(decoding: Wire.encode(order), as: UTF8.self)
            .replacingOccurrences(of: #""side":"buy""#, with: #""side":\#(nested)"#)
        let failure = Wire.failure(text)
        #expect(failure != nil)
        #expect(["malformed-json", "wrong-type"].contains(failure?.error.code ?? ""))
    }

    /// Foundation on Linux reports an integer it cannot represent as invalid JSON for the whole
    /// record (no coding path), so the reason cannot name the field there; Darwin names it.
    @Test("a number beyond Int64 is refused, not wrapped or crashed", arguments: ["9223372036854775808",
                                                                                 "99999999999999999999999", "1e30"])
    func hugeNumber(_ number: String) {
        let text = String(decoding: Wire.encode(order), as: UTF8.self)
            .replacingOccurrences(of: #""quantity":1000"#, with: #""quantity":\#(number)"#)
        #expect(text.contains(number))
        let code = Wire.failure(text)?.error.code
        #expect(code == "malformed-json" || code == "invalid-field", "\(String(describing: code))")
    }

    @Test("the largest Int64 itself still decodes, and validation refuses it as a quantity")
    func largestInt64() {
        let text = String(decoding: Wire.encode(order), as: UTF8.self)
            .replacingOccurrences(of: #""quantity":1000"#, with: #""quantity":9223372036854775807"#)
        let failure = Wire.failure(text)
        #expect(failure?.error.reason == "quantity must be at most \(Check.maxQuantity), got 9223372036854775807")
        #expect(failure?.header != nil)
    }

    @Test("a fraction where a whole number belongs is refused")
    func fractionalQuantity() {
        let text = String(decoding: Wire.encode(order), as: UTF8.self)
            .replacingOccurrences(of: #""quantity":1000"#, with: #""quantity":1000.5"#)
        #expect(Wire.failure(text) != nil)
    }

    @Test("a NaN literal is not JSON")
    func nanLiteral() {
        let output = Samples.registry.first { $0 is RecordUnitOutput } ?? order
        let text = String(decoding: Wire.encode(output), as: UTF8.self)
            .replacingOccurrences(of: #""loadRate":0.82"#, with: #""loadRate":NaN"#)
        #expect(text.contains("NaN"))
        #expect(Wire.failure(text)?.error.code == "malformed-json")
    }

    @Test("an envelope id that is not a UUID is refused without a header")
    func badEnvelopeID() {
        let failure = Wire.failure(Wire.edited(order, inData: false) { $0["id"] = "not-a-uuid" })
        #expect(failure?.error.code == "invalid-field")
        #expect(failure?.header == nil)
    }

    @Test("a record that is not an object is refused")
    func notAnObject() {
        #expect(Wire.failure("[1,2,3]")?.error.code == "wrong-type")
        #expect(Wire.failure("\"SubmitOrder\"")?.error.code == "wrong-type")
    }
}
