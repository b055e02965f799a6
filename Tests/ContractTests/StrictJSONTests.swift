@testable import Contract
import Foundation
import Testing

@Suite("Strict JSON syntax")
struct StrictJSONTests {
    func refusal(_ text: String) -> String? {
        refusal(Data(text.utf8))
    }

    func refusal(_ bytes: Data) -> String? {
        do {
            try StrictJSON.check(bytes)
            return nil
        } catch {
            #expect(error.code == "malformed-json")
            return error.reason
        }
    }

    @Test(arguments: [
        #"{}"#, #"[]"#, #" {"a" : [1, -0, 0.5, -12.5e-3, 1E+9, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"]} "#,
        #""plain""#, "12", #"{"中文":"碳排放"}"#, "{\"emoji\":\"\u{1F600}\"}", #"[[[]]]"#,
    ])
    func acceptsValidDocuments(_ text: String) {
        #expect(refusal(text) == nil)
    }

    @Test(arguments: [
        (#"{"a":1,}"#, "trailing comma before '}'"),
        (#"[1,2,]"#, "trailing comma before ']'"),
        (#"{"a":01}"#, "leading zero"),
        (#"{"a":NaN}"#, "unexpected 'N'"),
        (#"{"a":Infinity}"#, "unexpected 'I'"),
        (#"{"a":-}"#, "expected a digit"),
        (#"{"a":1.}"#, "after the decimal point"),
        (#"{"a":1e}"#, "exponent"),
        (#"{'a':1}"#, "field name in quotes"),
        (#"{"a":1} // note"#, "after the document"),
        (#"{"a":1}}"#, "after the document"),
        (#"{"a":"x"#, "unterminated string"),
        (#"{"a":"\x"}"#, "invalid escape"),
        (#"{"a":"\u12"}"#, "four hex digits"),
        (#"{"a" 1}"#, "expected ':'"),
        (#"{"a":1 "b":2}"#, "expected ',' or '}'"),
        (#"[1 2]"#, "expected ',' or ']'"),
        (#"{"a":tru}"#, "expected true"),
        ("", "ends where a value should be"),
        (#"{"a":["#, "ends"),
    ])
    func refusesWithTheOffsetAndTheFault(_ text: String, _ expected: String) throws {
        let reason = try #require(refusal(text), "accepted \(text)")
        #expect(reason.contains(expected), "\(reason)")
        #expect(reason.hasPrefix("not valid JSON at byte "))
        // The decoder skips this check for documents FastJSON reads, so FastJSON must refuse
        // every one of these too (and then the check names the fault).
        #expect(Data(text.utf8).withUnsafeBytes { FastJSON.parse($0) } == nil, "FastJSON read \(text)")
    }

    @Test func fastJSONRefusesWhatTheCheckRefusesAtTheEdges() {
        let tooDeep = String(repeating: "[", count: StrictJSON.maxDepth + 1) + String(repeating: "]", count: StrictJSON.maxDepth + 1)
        var documents = [Data(tooDeep.utf8), Data(#"{"a":""#.utf8) + Data([0x01]) + Data(#""}"#.utf8)]
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF], [0x80]] {
            documents.append(Data(#"{"a":""#.utf8) + Data(bad) + Data(#""}"#.utf8))
        }
        for document in documents {
            #expect(refusal(document) != nil)
            #expect(document.withUnsafeBytes { FastJSON.parse($0) } == nil)
        }
    }

    @Test func refusesControlCharactersAndBadUTF8InsideStrings() throws {
        #expect(try #require(refusal(Data(#"{"a":""#.utf8) + Data([0x01]) + Data(#""}"#.utf8))).contains("control character"))
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF], [0x80]] {
            let bytes = Data(#"{"a":""#.utf8) + Data(bad) + Data(#""}"#.utf8)
            #expect(try #require(refusal(bytes)).contains("UTF-8"), "\(bad)")
        }
        #expect(refusal(Data([0xEF, 0xBB, 0xBF]) + Data("{}".utf8)) != nil, "a byte-order mark is not JSON")
    }

    @Test func boundsNesting() throws {
        let deep = String(repeating: "[", count: StrictJSON.maxDepth) + String(repeating: "]", count: StrictJSON.maxDepth)
        #expect(refusal(deep) == nil)
        let tooDeep = String(repeating: "[", count: 10_000)
        #expect(try #require(refusal(tooDeep)).contains("nested deeper than \(StrictJSON.maxDepth)"))
    }

    @Test func theDecoderRefusesATrailingCommaThatFoundationWouldTake() throws {
        let decoder = EventDecoder(catalogue: PayloadCatalogue([DepositFunds.self]))
        let good = EventCodec().encode(Envelope(command: DepositFunds(accountId: "A", amount: 5, reference: "r"), source: "test"))
        _ = try decoder.decode(good)
        var text = String(decoding: good, as: UTF8.self)
        text.removeLast()
        text += ",}"
        #expect(throws: DecodeFailure.self) { try decoder.decode(Data(text.utf8)) }
    }

    /// Property: whatever JSONSerialization writes, the check accepts; and every prefix of it
    /// that is not itself a document is refused, never crashes.
    @Test func agreesWithFoundationOnGeneratedDocuments() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let object = Self.randomValue(depth: 0, using: &random)
            let bytes = try JSONSerialization.data(withJSONObject: ["v": object], options: [.fragmentsAllowed])
            #expect(refusal(bytes) == nil, "\(String(decoding: bytes, as: UTF8.self))")
            for cut in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 7)) {
                #expect(refusal(bytes.prefix(cut)) != nil)
            }
        }
    }

    static func randomValue(depth: Int, using random: inout SystemRandomNumberGenerator) -> Any {
        switch Int.random(in: 0..<(depth > 4 ? 4 : 6), using: &random) {
        case 0: return Int64.random(in: Int64.min...Int64.max, using: &random)
        case 1: return Double.random(in: -1e12...1e12, using: &random)
        case 2: return String((0..<Int.random(in: 0..<12, using: &random)).map { _ in
            Character(Unicode.Scalar(UInt32.random(in: 1...0xD7FF, using: &random)) ?? "x")
        })
        case 3: return Bool.random(using: &random)
        case 4: return (0..<Int.random(in: 0..<4, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) }
        default:
            var object: [String: Any] = [:]
            for index in 0..<Int.random(in: 0..<4, using: &random) { object["k\(index)"] = randomValue(depth: depth + 1, using: &random) }
            return object
        }
    }
}

@Suite("Dead letter size")
struct DeadLetterSizeTests {
    @Test func aLongOriginalIsKeptInPartWithItsLengthAndHash() throws {
        let original = Data(repeating: 0x01, count: 900_000)
        let letter = DeadLetter(topic: "registry.commands", partition: 0, offset: 3, key: nil, value: original,
                                error: ContractError(code: "malformed-json", reason: "x"), consumer: "registry", header: nil)
        #expect(letter.truncated == true)
        #expect(letter.originalBytes == 900_000)
        #expect(letter.originalSHA256?.count == 64)
        #expect(letter.originalValue == nil, "a truncated letter cannot be replayed as it is")
        #expect(Data(base64Encoded: letter.value)?.count == DeadLetter.maxValueBytes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try encoder.encode(letter).count < 100_000)
    }

    @Test func theWorstShortOriginalStillFitsTheBroker() throws {
        // Control characters grow six-fold when escaped as JSON text.
        let original = Data(repeating: 0x01, count: DeadLetter.maxValueBytes)
        let letter = DeadLetter(topic: "t", partition: 0, offset: 0, key: nil, value: original,
                                error: ContractError(code: "malformed-json", reason: "x"), consumer: "c", header: nil)
        #expect(letter.truncated == nil)
        #expect(letter.originalValue == original)
        #expect(try JSONEncoder().encode(letter).count < 900_000)
    }
}
