import Foundation
@testable import Store
import Testing

/// The id mirrors key canonical UUID text by its 16 bytes and keep every other id as text.
@Suite("UUID keys of the id mirrors")
struct UUIDBitsTests {
    @Test func lowerCaseCanonicalTextGivesTheUUIDsBytes() throws {
        for _ in 0..<1_000 {
            let uuid = UUID()
            let bits = try #require(UUIDBits(canonicalText: uuid.uuidString.lowercased()))
            let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
            let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(bits.high == high && bits.low == low)
        }
    }

    @Test(arguments: [
        "3F2504E0-4F89-11D3-9A0C-0305E82C3301",   // upper case: a different id in the table
        "3f2504e0-4f89-11d3-9a0c-0305e82c330",    // one digit short
        "3f2504e0-4f89-11d3-9a0c-0305e82c33011",  // one digit long
        "3f2504e04f89-11d3-9a0c-0305e82c3301-",   // dash out of place
        "3f2504e0-4f89-11d3-9a0c-0305e82c330g",   // not hex
        "3f2504e0-4f89-11d3-9a0c-0305e82c33/1",   // just below '0'
        "3f2504e0-4f89-11d3-9a0c-0305e82c33:1",   // just above '9'
        "3f2504e0-4f89-11d3-9a0c-0305e82c33`1",   // just below 'a'
        "", "not-a-uuid", "e1",
    ])
    func anythingElseStaysText(_ text: String) {
        #expect(UUIDBits(canonicalText: text) == nil)
    }

    @Test func aSubstringOrBridgedCopyParsesTheSame() throws {
        let text = UUID().uuidString.lowercased()
        let padded = "x" + text + "y"
        let inner = String(padded.dropFirst().dropLast())
        #expect(UUIDBits(canonicalText: inner) == UUIDBits(canonicalText: text))
        #expect(UUIDBits(canonicalText: text) != nil)
    }
}
