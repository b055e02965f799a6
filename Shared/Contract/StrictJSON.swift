import Foundation

/// An RFC 8259 syntax check that runs before Foundation's decoder. That decoder is lenient (it
/// takes `{"a":1,}`, which let a record with a trailing comma through as if it were valid) and
/// its errors do not say where a record is broken; this check is strict, bounds nesting, checks
/// UTF-8 inside strings, and names the byte offset of the first fault.
public enum StrictJSON {
    /// Deeper documents are refused: no event of the contract nests more than a few levels.
    public static let maxDepth = 64

    /// - Throws: `ContractError` `malformed-json` with the byte offset and what was wrong there.
    public static func check(_ bytes: Data) throws(ContractError) {
        let result = bytes.withUnsafeBytes { raw -> Result<Void, ContractError> in
            var scanner = Scanner(bytes: raw)
            do throws(ContractError) {
                try scanner.document()
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var index = 0
        var depth = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func document() throws(ContractError) {
            try value()
            skipSpace()
            if index < bytes.count { throw fault("unexpected \(describe(bytes[index])) after the document") }
        }

        private func fault(_ what: String) -> ContractError {
            ContractError(code: "malformed-json", reason: "not valid JSON at byte \(index): \(what)")
        }

        private func describe(_ byte: UInt8) -> String {
            (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
        }

        private var atEnd: Bool { index >= bytes.count }

        private mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        private mutating func value() throws(ContractError) {
            skipSpace()
            guard !atEnd else { throw fault("the document ends where a value should be") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object()
            case UInt8(ascii: "["): try array()
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            case let other: throw fault("unexpected \(describe(other)) where a value should be")
            }
        }

        private mutating func enter() throws(ContractError) {
            depth += 1
            if depth > StrictJSON.maxDepth { throw fault("nested deeper than \(StrictJSON.maxDepth) levels") }
            index += 1
        }

        private mutating func object() throws(ContractError) {
            try enter()
            skipSpace()
            if !atEnd, bytes[index] == UInt8(ascii: "}") { index += 1; depth -= 1; return }
            while true {
                skipSpace()
                guard !atEnd, bytes[index] == UInt8(ascii: "\"") else {
                    throw fault(atEnd ? "the document ends inside an object" : "expected a field name in quotes, found \(describe(bytes[index]))")
                }
                try string()
                skipSpace()
                guard !atEnd, bytes[index] == UInt8(ascii: ":") else { throw fault("expected ':' after a field name") }
                index += 1
                try value()
                skipSpace()
                guard !atEnd else { throw fault("the document ends inside an object") }
                if bytes[index] == UInt8(ascii: "}") { index += 1; depth -= 1; return }
                guard bytes[index] == UInt8(ascii: ",") else { throw fault("expected ',' or '}' in an object, found \(describe(bytes[index]))") }
                index += 1
                skipSpace()
                if !atEnd, bytes[index] == UInt8(ascii: "}") { throw fault("trailing comma before '}'") }
            }
        }

        private mutating func array() throws(ContractError) {
            try enter()
            skipSpace()
            if !atEnd, bytes[index] == UInt8(ascii: "]") { index += 1; depth -= 1; return }
            while true {
                try value()
                skipSpace()
                guard !atEnd else { throw fault("the document ends inside an array") }
                if bytes[index] == UInt8(ascii: "]") { index += 1; depth -= 1; return }
                guard bytes[index] == UInt8(ascii: ",") else { throw fault("expected ',' or ']' in an array, found \(describe(bytes[index]))") }
                index += 1
                skipSpace()
                if !atEnd, bytes[index] == UInt8(ascii: "]") { throw fault("trailing comma before ']'") }
            }
        }

        private mutating func literal(_ word: StaticString) throws(ContractError) {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw fault("expected \(word), the document ends first") }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
                throw fault("expected \(word)")
            }
            index += count
        }

        private mutating func digits() -> Int {
            let start = index
            while !atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }

        private mutating func number() throws(ContractError) {
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard !atEnd else { throw fault("a number ends after its sign") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if !atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { throw fault("a number has a leading zero") }
            } else if digits() == 0 {
                throw fault("expected a digit, found \(describe(bytes[index]))")
            }
            if !atEnd, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw fault("expected a digit after the decimal point") }
            }
            if !atEnd, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if !atEnd, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw fault("expected a digit in the exponent") }
            }
        }

        private mutating func string() throws(ContractError) {
            index += 1
            while true {
                guard !atEnd else { throw fault("unterminated string") }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return
                case UInt8(ascii: "\\"):
                    index += 1
                    guard !atEnd else { throw fault("unterminated string") }
                    switch bytes[index] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        index += 1
                    case UInt8(ascii: "u"):
                        index += 1
                        for _ in 0..<4 {
                            guard !atEnd, Self.isHex(bytes[index]) else { throw fault("\\u needs four hex digits") }
                            index += 1
                        }
                    case let other:
                        throw fault("invalid escape \\\(describe(other)) in a string")
                    }
                case 0x00..<0x20:
                    throw fault("unescaped control character \(describe(byte)) in a string")
                case 0x80...:
                    try utf8Sequence()
                default:
                    index += 1
                }
            }
        }

        private static func isHex(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }

        /// One well-formed UTF-8 sequence (no overlongs, no surrogates, nothing above U+10FFFF).
        private mutating func utf8Sequence() throws(ContractError) {
            let lead = bytes[index]
            let (count, secondRange): (Int, ClosedRange<UInt8>)
            switch lead {
            case 0xC2...0xDF: (count, secondRange) = (1, 0x80...0xBF)
            case 0xE0: (count, secondRange) = (2, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (count, secondRange) = (2, 0x80...0xBF)
            case 0xED: (count, secondRange) = (2, 0x80...0x9F)
            case 0xF0: (count, secondRange) = (3, 0x90...0xBF)
            case 0xF1...0xF3: (count, secondRange) = (3, 0x80...0xBF)
            case 0xF4: (count, secondRange) = (3, 0x80...0x8F)
            default: throw fault("invalid UTF-8 \(describe(lead)) in a string")
            }
            guard index + count < bytes.count else { throw fault("truncated UTF-8 sequence in a string") }
            guard secondRange.contains(bytes[index + 1]) else { throw fault("invalid UTF-8 sequence in a string") }
            for offset in stride(from: 2, through: count, by: 1) where !(0x80...0xBF).contains(bytes[index + offset]) {
                throw fault("invalid UTF-8 sequence in a string")
            }
            index += count + 1
        }
    }
}
