@testable import Contract
import Foundation
import Testing

/// `FastJSON.parseEnvelope` reads the envelope's members in one pass. Wherever it answers, it
/// must answer what the tree gives (`FastJSON.parse`, `EventDecoder.header(of:)`,
/// `member("data")`), and the decoder's result must stay Foundation's.
@Suite("Envelope scan")
struct EnvelopeScanTests {
    let codec = EventCodec()
    let decoder = EventDecoder(catalogue: .all)

    /// The scan's header, and whether its `data` decodes to the tree's payload; nil when the
    /// scan leaves the document to the tree.
    func scanned(_ bytes: Data) -> EnvelopeHeader? {
        bytes.withUnsafeBytes { FastJSON.parseEnvelope($0) }?.header
    }

    func tree(_ bytes: Data) -> EnvelopeHeader? {
        bytes.withUnsafeBytes { FastJSON.parse($0) }.flatMap(EventDecoder.header(of:))
    }

    /// The scan agrees with the tree where it answers, and the decoder still agrees with
    /// Foundation, for `text`.
    func expectAgreement(_ text: String, scans: Bool?, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Data(text.utf8)
        let scan = scanned(bytes)
        if let scans { #expect((scan != nil) == scans, "\(text)", sourceLocation: sourceLocation) }
        if let scan {
            #expect(scan == tree(bytes), "\(text)", sourceLocation: sourceLocation)
            #expect((try? StrictJSON.check(bytes)) != nil, "\(text)", sourceLocation: sourceLocation)
        }
        let fast = try? decoder.decode(bytes)
        let reference = try? decoder.foundationDecode(bytes)
        #expect(fast?.header == reference?.header, "\(text)", sourceLocation: sourceLocation)
        #expect((fast == nil) == (reference == nil), "\(text)", sourceLocation: sourceLocation)
    }

    @Test("every sample, with plain, odd and evolved headers, is scanned as the tree reads it", arguments: Sample.all)
    func samples(_ sample: Sample) throws {
        for header in CanonicalCodecTests.headers(for: sample.payload) {
            let bytes = codec.encode(header: header, payload: sample.payload)
            let scan = try #require(bytes.withUnsafeBytes { FastJSON.parseEnvelope($0) })
            #expect(scan.header == header)
            #expect(scan.header == tree(bytes))
            let decoded = try decoder.decode(bytes)
            #expect(decoded.header == header)
            #expect(same(decoded.payload, sample.payload))
        }
    }

    static let id = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
    static let other = "7ba7b810-9dad-11d1-80b4-00c04fd430c8"
    static let data = #""data":{"accountId":"A-1","amount":100,"reference":"r-1"}"#

    /// An envelope of `DepositFunds` with `members` before its data.
    static func envelope(_ members: String) -> String { "{" + members + "," + data + "}" }
    static let base = #""id":"\#(id)","type":"DepositFunds","version":1,"occurredAt":"2026-07-16T01:30:00.000Z","source":"bank""#

    @Test("what the scan reads itself")
    func plainForms() {
        expectAgreement(Self.envelope(Self.base), scans: true)
        expectAgreement(Self.envelope(Self.base + #","correlationId":null,"causationId":null,"compatibleWith":null"#), scans: true)
        expectAgreement(Self.envelope(Self.base + #","correlationId":"c-1","causationId":"\#(Self.other)","compatibleWith":1"#),
                        scans: true)
        expectAgreement(Self.envelope(Self.base.replacingOccurrences(of: Self.id, with: Self.id.uppercased())), scans: true)
        expectAgreement(" {\n \"data\" : {\"accountId\":\"A-1\",\"amount\":100,\"reference\":\"r-1\"} , "
                        + Self.base.replacingOccurrences(of: ",", with: " ,\t") + " }\r\n", scans: true)
        expectAgreement(Self.envelope(Self.base + #","extra":{"nested":[1,2,{"x":null}]},"more":"\u00e9""#), scans: true)
        expectAgreement(Self.envelope(Self.base.replacingOccurrences(of: "01:30:00.000Z", with: "09:30:00+08:00")), scans: true)
    }

    @Test("what the scan leaves to the tree, and the tree or Foundation then decide")
    func leftToTheTree() {
        // An escaped key that spells a member's name, and the same member twice.
        expectAgreement(Self.envelope(Self.base + #","i\u0064":"\#(Self.other)""#), scans: false)
        expectAgreement(Self.envelope(#""i\u0064":"\#(Self.id)","# + Self.base.replacingOccurrences(of: #""id":"\#(Self.id)","#, with: "")),
                        scans: false)
        expectAgreement(Self.envelope(Self.base + #","source":"again""#), scans: false)
        expectAgreement(Self.envelope(Self.base + #","extra":1,"extra":2"#), scans: false)
        // Keys that are not plain ASCII.
        expectAgreement(Self.envelope(Self.base + #","é":1"#), scans: false)
        expectAgreement(Self.envelope(Self.base + #","e\u0301":1,"é":2"#), scans: false)
        // An id, time or causation that is escaped, in another form, or of another type.
        expectAgreement(Self.envelope(Self.base.replacingOccurrences(of: #""id":"6"#, with: #""id":"\u0036"#)), scans: false)
        expectAgreement(Self.envelope(Self.base.replacingOccurrences(of: Self.id, with: "{" + Self.id + "}")), scans: false)
        expectAgreement(Self.envelope(Self.base.replacingOccurrences(of: #""id":"\#(Self.id)""#, with: #""id":12"#)), scans: false)
        expectAgreement(Self.envelope(Self.base.replacingOccurrences(of: "01:30", with: #"01\u003a30"#)), scans: false)
        expectAgreement(Self.envelope(Self.base + #","causationId":"not-a-uuid""#), scans: false)
        expectAgreement(Self.envelope(Self.base + #","causationId":7"#), scans: false)
        // Members missing or mistyped.
        expectAgreement("{" + Self.base + "}", scans: false)
        expectAgreement(Self.envelope(Self.base.replacingOccurrences(of: #""version":1"#, with: #""version":1.0"#)), scans: false)
        expectAgreement(Self.envelope(Self.base.replacingOccurrences(of: #""source":"bank""#, with: #""source":null"#)), scans: false)
        expectAgreement(Self.envelope(Self.base + #","correlationId":5"#), scans: false)
        expectAgreement(Self.envelope(Self.base + #","compatibleWith":"1""#), scans: false)
        // Not an object, or more after it.
        expectAgreement("[]", scans: false)
        expectAgreement("{}", scans: false)
        expectAgreement(Self.envelope(Self.base) + " 1", scans: false)
        expectAgreement(Self.envelope(Self.base + #","extra":[1,2"#), scans: false)
    }
}
