import Contract
import Testing

/// `Check.identifier`: letters, digits and `._:-`, checked byte by byte for plain ASCII and
/// scalar by scalar to name what is wrong.
@Suite("Identifiers")
struct IdentifierCheckTests {
    @Test func lettersDigitsAndTheFourMarksPass() throws {
        try Check.identifier("ABCXYZabcxyz0189._:-", "orderId")
        try Check.identifier("T-CEA-2026-12-06-000123", "tradeId")
    }

    /// Every other ASCII byte, at the start, inside and at the end, is refused and named.
    @Test func everyOtherASCIIByteIsRefusedAndNamed() {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-".unicodeScalars)
        for value in UInt8(0)..<0x80 {
            let scalar = Unicode.Scalar(value)
            guard !allowed.contains(scalar) else { continue }
            for text in ["\(Character(scalar))id", "i\(Character(scalar))d", "id\(Character(scalar))"] {
                let error = #expect(throws: ContractError.self) { try Check.identifier(text, "orderId") }
                #expect(error?.reason.contains("contains '\(scalar)'") == true, "\(text)")
            }
        }
    }

    @Test func lettersOutsideASCIIAreRefusedAndNamed() {
        for text in ["成都-1", "é", "ok-😀"] {
            #expect(throws: ContractError.self) { try Check.identifier(text, "accountId") }
        }
        let error = #expect(throws: ContractError.self) { try Check.identifier("成都-1", "accountId") }
        #expect(error?.reason.contains("contains '成'") == true)
    }
}
