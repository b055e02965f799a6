@testable import Contract
import Foundation
import Testing

/// The specialised envelope coders (`CanonicalJSON`, `FastJSON`) against Foundation's, which
/// define the canonical bytes: the same output byte for byte, the same decoded values, and
/// every decoding the fast path is unsure of left to Foundation.
@Suite("Canonical codec")
struct CanonicalCodecTests {
    let codec = EventCodec()

    /// Headers that exercise the envelope's optional and free-text fields.
    static func headers(for payload: any EventPayload) -> [EnvelopeHeader] {
        var plain = Samples.header(for: payload)
        plain.correlationId = nil
        plain.causationId = nil
        var odd = Samples.header(for: payload)
        odd.source = "src/with \"quotes\" \\ and \u{1} 成都 😀"
        odd.correlationId = "corr/\t\n\r\u{8}\u{c}\u{1f}\u{7f}"
        odd.occurredAt = Timestamp(millisecondsSinceEpoch: -62_135_596_800_000)
        // An additive newer version: a reader of version 1 must read it like Foundation does.
        var evolved = Samples.header(for: payload)
        evolved.version = 2
        evolved.compatibleWith = 1
        return [Samples.header(for: payload), plain, odd, evolved]
    }

    @Test("every sample encodes to Foundation's bytes, on the fast path", arguments: Sample.all)
    func encodesLikeFoundation(_ sample: Sample) throws {
        for header in Self.headers(for: sample.payload) {
            let fast = try #require(CanonicalJSON.encodeEnvelope(header: header, payload: sample.payload))
            #expect(Data(fast) == codec.foundationEncode(header: header, payload: sample.payload))
            #expect(codec.encode(header: header, payload: sample.payload) == Data(fast))
        }
    }

    @Test("every sample decodes to Foundation's value, on the fast path", arguments: Sample.all)
    func decodesLikeFoundation(_ sample: Sample) throws {
        let decoder = EventDecoder(catalogue: .all)
        for header in Self.headers(for: sample.payload) {
            let bytes = codec.foundationEncode(header: header, payload: sample.payload)
            let root = try #require(bytes.withUnsafeBytes { FastJSON.parse($0) })
            #expect(root.member("data") != nil)
            let fast = try decoder.decode(bytes)
            let reference = try decoder.foundationDecode(bytes)
            #expect(fast.header == reference.header)
            #expect(same(fast.payload, reference.payload))
            #expect(same(fast.payload, sample.payload))
        }
    }

    @Test("random strings, numbers and shapes encode and decode like Foundation")
    func randomValues() throws {
        var random = TestRandom(seed: 0x5EED)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for _ in 0..<3000 {
            let value = Fuzzed.random(&random, depth: 0)
            let reference = try encoder.encode(value)
            let fast = try #require(CanonicalJSON.encode(value))
            #expect(Data(fast) == reference, "\(String(decoding: reference, as: UTF8.self))")
            let root = try #require(reference.withUnsafeBytes { FastJSON.parse($0) })
            let decoded = try #require(FastJSON.decode(Fuzzed.self, from: root))
            #expect(try JSONDecoder().decode(Fuzzed.self, from: reference) == decoded)
            #expect(decoded == value)
        }
    }

    @Test("numbers as other writers spell them decode like Foundation or are left to it")
    func numberSpellings() throws {
        var random = TestRandom(seed: 42)
        var spellings = ["0", "-0", "1", "-1", "0.0", "-0.0", "1e2", "1E+2", "1e-2", "2.5", "9007199254740993",
                         "123456789012345678", "1234567890123456789", "9223372036854775807", "-9223372036854775808",
                         "9223372036854775808", "1.7976931348623157e308", "1e309", "5e-324", "4.9e-324", "1e-400",
                         "0.1", "0.30000000000000004", "100", "1.0", "12.50", "01", "1.", ".5", "+1", "-", "1e", "--1"]
        for _ in 0..<2000 {
            let digits = (0..<Int(random.next() % 20 + 1)).map { _ in String(random.next() % 10) }.joined()
            let fraction = (0..<Int(random.next() % 20)).map { _ in String(random.next() % 10) }.joined()
            var text = (random.next() % 2 == 0 ? "-" : "") + digits + (fraction.isEmpty ? "" : "." + fraction)
            if random.next() % 3 == 0 { text += "e" + String(Int(random.next() % 700) - 350) }
            spellings.append(text)
            spellings.append(String(Double(bitPattern: random.next())))
        }
        for spelling in spellings {
            for json in [#"{"d":\#(spelling),"i":1}"#, #"{"d":1.5,"i":\#(spelling)}"#] {
                let bytes = Data(json.utf8)
                let reference = try? JSONDecoder().decode(Numbers.self, from: bytes)
                guard let root = bytes.withUnsafeBytes({ FastJSON.parse($0) }),
                      let fast = FastJSON.decode(Numbers.self, from: root) else { continue }
                #expect(fast.d.bitPattern == reference?.d.bitPattern, "\(json) \(String(describing: (try? JSONDecoder().decode(Numbers.self, from: bytes)).debugDescription))")
                #expect(fast.i == reference?.i, "\(json)")
            }
        }
    }

    @Test("damaged records: strictly invalid JSON is refused first; otherwise the fast path agrees with Foundation")
    func damagedRecords() throws {
        var random = TestRandom(seed: 7)
        let decoder = EventDecoder(catalogue: .all)
        let alphabet = Array(#"{}[]:,"\/ 0123456789.eE-+truefalsnl\u00e9"#.utf8) + [0x00, 0x1F, 0xC3, 0xA9, 0xFF]
        for sample in Sample.all {
            let original = Array(codec.encode(header: Samples.header(for: sample.payload), payload: sample.payload))
            for _ in 0..<60 {
                var bytes = original
                for _ in 0..<Int(random.next() % 3 + 1) {
                    let position = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0: bytes[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    case 1: bytes.remove(at: position)
                    default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                    }
                }
                let data = Data(bytes)
                let fast = try? decoder.decode(data)
                // The decoder skips the syntax check for what FastJSON reads: it must never read
                // a document the check refuses.
                if data.withUnsafeBytes({ FastJSON.parse($0) }) != nil {
                    #expect((try? StrictJSON.check(data)) != nil, "\(String(decoding: data, as: UTF8.self))")
                }
                // Nor may the envelope scan, and where it reads a header it is the tree's.
                if let scan = data.withUnsafeBytes({ FastJSON.parseEnvelope($0) }) {
                    #expect((try? StrictJSON.check(data)) != nil, "\(String(decoding: data, as: UTF8.self))")
                    #expect(scan.header == data.withUnsafeBytes({ FastJSON.parse($0) }).flatMap(EventDecoder.header(of:)))
                }
                guard (try? StrictJSON.check(data)) != nil else {
                    // Not RFC 8259 JSON (Foundation takes some of it: trailing commas, bad UTF-8
                    // in strings): refused before either decoder, with the byte offset.
                    #expect(fast == nil, "\(String(decoding: data, as: UTF8.self))")
                    do { _ = try decoder.decode(data) } catch {
                        #expect(error.error.code == "malformed-json" && error.error.reason.contains("at byte"))
                    }
                    continue
                }
                let reference = try? decoder.foundationDecode(data)
                #expect((fast == nil) == (reference == nil), "\(String(decoding: data, as: UTF8.self))")
                if let fast, let reference {
                    #expect(fast.header == reference.header)
                    #expect(same(fast.payload, reference.payload))
                }
                // Refusals of well-formed JSON read the same, because they all come from Foundation.
                do { _ = try decoder.decode(data) } catch {
                    do { _ = try decoder.foundationDecode(data) } catch let expected {
                        #expect(error.error == expected.error)
                        #expect(error.header == expected.header)
                    }
                }
            }
        }
    }

    /// The string scan reads eight bytes at a time: every kind of byte at every place of strings
    /// longer and shorter than a word reads as Foundation reads it, or is left to Foundation,
    /// and plain text is never left to it.
    @Test("strings with any byte at any place read like Foundation's")
    func stringScan() {
        let kinds: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x20, 0x61, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]
        for length in 1..<40 {
            for place in 0..<length {
                for byte in kinds {
                    var text = Array(repeating: UInt8(ascii: "k"), count: length)
                    text[place] = byte
                    // And a second stop in the same word: "é" (two bytes) just before it.
                    var twice = text
                    if place >= 2 { twice[place - 2] = 0xC3; twice[place - 1] = 0xA9 }
                    checkString(twice, "é then byte \(byte) at \(place) of \(length)")
                    let read = checkString(text, "byte \(byte) at \(place) of \(length)")
                    let plain = (0x20...0x7F).contains(byte) && byte != 0x22 && byte != 0x5C
                    #expect(read || !plain, "plain text left to Foundation: byte \(byte) at \(place) of \(length)")
                }
            }
        }
    }

    /// `text` as a JSON string reads as Foundation reads it, or is left to Foundation; true when
    /// FastJSON read it itself.
    @discardableResult
    private func checkString(_ text: [UInt8], _ label: String) -> Bool {
        let document = [UInt8(ascii: "\"")] + text + [UInt8(ascii: "\"")]
        let foundation = try? JSONSerialization.jsonObject(with: Data(document), options: .fragmentsAllowed) as? String
        let fast = document.withUnsafeBytes { FastJSON.parse($0) }
        if case .string(let read)? = fast {
            #expect(read == foundation, "\(label)")
            return true
        }
        #expect(fast == nil, "\(label)")
        return false
    }

    /// Keys are compared as `String`s: canonically equal keys of different lengths (U+212A
    /// KELVIN SIGN and "K", "e" + U+0301 and "é") are one key repeated, which FastJSON leaves to
    /// Foundation, and a member name finds its canonical equivalent.
    @Test("canonically equal keys of different lengths are the same key")
    func canonicallyEqualKeys() {
        for document in ["{\"\u{212A}\":1,\"K\":2}", "{\"K\":1,\"\u{212A}\":2}", "{\"e\u{301}\":1,\"\u{E9}\":2}",
                         "{\"a\":0,\"\u{E9}\":1,\"e\u{301}\":2}"] {
            let bytes = Array(document.utf8)
            #expect(bytes.withUnsafeBytes { FastJSON.parse($0) } == nil, "\(document)")
        }
        #expect("K" ~= MemberName("\u{212A}"))
        #expect(!("K" ~= MemberName("KK")) && !("orderId" ~= MemberName("order")))
        let object = Array("{\"\u{212A}\":1}".utf8).withUnsafeBytes { FastJSON.parse($0) }
        #expect(object?.member("K")?.int64 == 1)
    }

    @Test("lower-case UUID text matches Foundation's")
    func uuidText() {
        for _ in 0..<1000 {
            let uuid = UUID()
            #expect(uuid.lowercasedString == uuid.uuidString.lowercased())
        }
    }

    @Test("UUID text parses like Foundation's, malformed text included")
    func uuidParsing() {
        var texts = ["", "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
                     "6ba7b810-9dad-11d1-80b4-00c04fd430c", "6ba7b810-9dad-11d1-80b4-00c04fd430c8a",
                     "6ba7b8109dad-11d1-80b4-00c04fd430c8-", "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}",
                     "6ba7b810-9dad-11d1-80b4-00c04fd430cg", "6ba7b810 9dad 11d1 80b4 00c04fd430c8",
                     "6ba7b8109dad11d180b400c04fd430c8", " 6ba7b810-9dad-11d1-80b4-00c04fd430c", "成都成都成都成都成都成都"]
        var random = TestRandom(seed: 11)
        for _ in 0..<500 {
            var text = UUID().uuidString
            if random.next() % 2 == 0 { text = text.lowercased() }
            if random.next() % 4 == 0 {
                var bytes = Array(text.utf8)
                bytes[Int(random.next() % 36)] = Array("-xX0fF {".utf8)[Int(random.next() % 8)]
                text = String(decoding: bytes, as: UTF8.self)
            }
            texts.append(text)
        }
        // Every ASCII byte in a digit's place, first and last, and in a dash's place.
        for byte in UInt8(0)..<0x80 {
            for position in [0, 8, 9, 35] {
                var bytes = Array("6ba7b810-9dad-11d1-80b4-00c04fd430c8".utf8)
                bytes[position] = byte
                texts.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        for text in texts {
            #expect(UUID(canonicalText: text) == UUID(uuidString: text), "\(text)")
            // The fast reader alone (the envelope reader uses it without the fallback): it reads
            // every 8-4-4-4-12 text of hex digits, in either case, as Foundation does, and
            // nothing else (Foundation's `sscanf` also takes a few other shapes).
            let fast = Array(text.utf8).withUnsafeBytes { UUID(canonicalUTF8: $0) }
            let bytes = Array(text.utf8)
            let canonical = bytes.count == 36 && bytes.indices.allSatisfy { index in
                [8, 13, 18, 23].contains(index) ? bytes[index] == UInt8(ascii: "-")
                    : "0123456789abcdefABCDEF".utf8.contains(bytes[index])
            }
            #expect(fast == (canonical ? UUID(uuidString: text) : nil), "\(text)")
            if canonical { #expect(fast != nil, "\(text)") }
        }
    }

    @Test("derived ids are unchanged by the byte-level name")
    func derivedIDsUnchanged() {
        let input = UUID(uuidString: "9b2f4c1e-3a5d-4e6f-8a7b-0c1d2e3f4a5b") ?? UUID()
        for index in [0, 1, 9, 10, 12345] {
            for service in ["registry", "settlement", "成都"] {
                #expect(DeterministicID.derived(from: input, index: index, service: service)
                        == DeterministicID.nameBased("\(service)/\(input.uuidString.lowercased())/\(index)"))
            }
        }
        // A value fixed before the change: ids must never move.
        #expect(DeterministicID.derived(from: input, index: 0, service: "registry").uuidString.lowercased()
                == "d97b2523-d0fb-5092-92e9-c1d6aa900b20")
    }
}

private struct Numbers: Codable, Equatable {
    var d: Double
    var i: Int64
}

/// A value with every shape the contract's payloads use, filled at random.
struct Fuzzed: Codable, Equatable {
    var text: String
    var number: Double
    var integer: Int64
    var small: Int32
    var flag: Bool
    var optional: String?
    var list: [Int64]
    var strings: [String]
    var doubles: [Double?]
    var map: [String: Int]
    var children: [Fuzzed]

    static func random(_ random: inout TestRandom, depth: Int) -> Fuzzed {
        let count = depth < 2 ? Int(random.next() % 3) : 0
        var map: [String: Int] = [:]
        for _ in 0..<Int(random.next() % 4) { map[randomString(&random)] = Int(Int64(bitPattern: random.next())) }
        return Fuzzed(text: randomString(&random), number: randomDouble(&random), integer: Int64(bitPattern: random.next()),
                      small: Int32(truncatingIfNeeded: random.next()), flag: random.next() % 2 == 0,
                      optional: random.next() % 2 == 0 ? nil : randomString(&random),
                      list: (0..<Int(random.next() % 4)).map { _ in Int64(bitPattern: random.next()) >> Int64(random.next() % 64) },
                      strings: (0..<Int(random.next() % 3)).map { _ in randomString(&random) },
                      doubles: (0..<Int(random.next() % 3)).map { _ in random.next() % 4 == 0 ? nil : randomDouble(&random) },
                      map: map,
                      children: (0..<count).map { _ in Fuzzed.random(&random, depth: depth + 1) })
    }

    static func randomDouble(_ random: inout TestRandom) -> Double {
        switch random.next() % 4 {
        case 0: return Double(Int64(bitPattern: random.next()) % 1_000_000) / 100
        case 1: return Double(Int64(bitPattern: random.next()) % 10_000)
        default:
            let value = Double(bitPattern: random.next())
            return value.isFinite ? value : 0.5
        }
    }

    static func randomString(_ random: inout TestRandom) -> String {
        let pieces: [String] = ["a", "Z", "0", " ", "/", "\\", "\"", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{0}", "\u{1}",
                                "\u{1f}", "\u{7f}", "é", "e\u{301}", "成都", "😀", "\u{2028}", "\u{feff}", "key", "\u{10ffff}"]
        return (0..<Int(random.next() % 8)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }
}

/// SplitMix64: reproducible test inputs.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
