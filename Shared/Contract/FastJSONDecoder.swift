import Foundation

/// A strict JSON reader and `Decoder` for the runtime's hot path: decoding the envelope of
/// every consumed record with Foundation's `JSONDecoder` cost about an eighth of the runtime's
/// CPU.
///
/// It only ever answers "here is the value" or "ask Foundation": whenever it meets anything it
/// is not certain to read exactly as `JSONDecoder` does (a type mismatch, a missing key, a
/// fraction where an integer is expected, a duplicate key, an unusual escape, `Date`/`Data`/
/// `URL`/`Decimal`, deep nesting, invalid UTF-8, ...) it marks the decoding as failed, and the
/// caller decodes the same bytes again with Foundation. So every refusal, with its code, field
/// path and reason, still comes from Foundation, and a payload whose `init(from:)` catches an
/// error still sees Foundation's behaviour. The contract tests decode every payload sample and
/// random strings and numbers both ways and compare.
enum FastJSON {
    /// The parsed document, or nil when it is not plain JSON this reader is sure about.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> FJNode? {
        var parser = FJParser(bytes: bytes)
        guard let node = parser.parseValue(depth: 0) else { return nil }
        parser.skipWhitespace()
        guard parser.index == bytes.count else { return nil }
        return node
    }

    /// The envelope's header and its `data` member, read in one pass over the envelope's own
    /// members without building a tree of them: the id, time and causation are read from their
    /// bytes, and only `data` becomes a node. Exactly what `parse`, `EventDecoder.header(of:)`
    /// and `member("data")` give, or nil (also for every document this is not sure about: a
    /// key that is escaped or not ASCII, an escaped or unusual id or time), and the caller
    /// takes that longer way. Reading the header from the tree was a third of every record's
    /// decoding: eight linear member searches, a string for each id and time, the tree's arrays.
    static func parseEnvelope(_ bytes: UnsafeRawBufferPointer) -> (header: EnvelopeHeader, data: FJNode)? {
        var parser = FJParser(bytes: bytes)
        guard let envelope = parser.parseEnvelope() else { return nil }
        parser.skipWhitespace()
        guard parser.index == bytes.count else { return nil }
        return envelope
    }

    /// Decodes `T` from `node`; nil when Foundation has to do it.
    static func decode<T: Decodable>(_ type: T.Type, from node: FJNode) -> T? {
        let state = FJState()
        guard let value = try? T(from: FJDecoder(node: node, state: state)), !state.failed else { return nil }
        return value
    }
}

/// A parsed JSON value. Integers that fit `Int64` (and are not `-0`) are kept as numbers,
/// other numbers as their validated text.
enum FJNode {
    case object([(key: String, value: FJNode)])
    case array([FJNode])
    case string(String)
    case integer(Int64)
    case number(String)
    case bool(Bool)
    case null

    /// The member `key` of an object (objects here never hold a key twice).
    func member(_ key: String) -> FJNode? {
        guard case .object(let entries) = self else { return nil }
        for entry in entries where key ~= MemberName(entry.key) { return entry.value }
        return nil
    }
}

private struct FJParser {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    /// Whether the last string `parseString` read was plain ASCII (false after an escape).
    var lastStringWasASCII = true

    /// Well below Foundation's 512: deeper documents are left to it.
    static let maximumDepth = 64

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) -> FJNode? {
        guard depth < Self.maximumDepth else { return nil }
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return parseObject(depth: depth)
        case UInt8(ascii: "["): return parseArray(depth: depth)
        case UInt8(ascii: "\""): return parseString().map(FJNode.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return parseNumber()
        default: return nil
        }
    }

    private mutating func literal(_ word: StaticString, _ node: FJNode) -> FJNode? {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return nil }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return nil }
        index += count
        return node
    }

    private mutating func parseObject(depth: Int) -> FJNode? {
        index += 1
        var keysAreASCII = true
        var entries: [(key: String, value: FJNode)] = []
        // Room for a payload's members at once: growing 1, 2, 4, 8 was a quarter of building one.
        entries.reserveCapacity(12)
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(entries) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = parseString() else { return nil }
            // Foundation's handling of a repeated key is not something to imitate: defer to it.
            // Keys are `String`s, compared as such (canonical equivalence included); between
            // plain ASCII keys, different lengths already say they differ.
            let keyIsASCII = lastStringWasASCII
            let length = key.utf8.count
            for entry in entries where (!keysAreASCII || !keyIsASCII || entry.key.utf8.count == length) && entry.key == key {
                return nil
            }
            keysAreASCII = keysAreASCII && keyIsASCII
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard let value = parseValue(depth: depth + 1) else { return nil }
            entries.append((key, value))
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(entries) }
            return nil
        }
    }

    private mutating func parseArray(depth: Int) -> FJNode? {
        index += 1
        var elements: [FJNode] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            guard let value = parseValue(depth: depth + 1) else { return nil }
            elements.append(value)
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            return nil
        }
    }

    /// A string starting at the opening quote. Plain strings are validated UTF-8 slices;
    /// escapes are decoded (a lone surrogate gives up).
    mutating func parseString() -> String? {
        index += 1
        let start = index
        var ascii = true
        while true {
            index = firstNotPlain(from: index)
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                lastStringWasASCII = ascii
                // ASCII is valid UTF-8 as it stands; only other text needs the validating init.
                return ascii ? String(decoding: slice, as: UTF8.self) : String(validating: slice, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                lastStringWasASCII = false
                return parseEscapedString(from: start)
            }
            if byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
    }

    /// The index of the first byte from `start` on that is not printable ASCII other than a
    /// quote or a backslash (so: `"`, `\`, a control byte, 0x7F or above), or `bytes.count`.
    /// Eight bytes at a time: a byte-by-byte loop with four comparisons per byte was the largest
    /// part of reading a record's strings (ids, names, times).
    @inline(__always)
    func firstNotPlain(from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        let count = bytes.count
        var position = start
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while position + 8 <= count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            // A byte of `x` is zero: (x - 1) & ~x has its high bit. The lowest such byte is
            // exact (a borrow only runs upwards from a real zero), and so is the lowest of the OR.
            let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C), delete = word ^ (ones &* 0x7F)
            var found = (quote &- ones) & ~quote
            found |= (backslash &- ones) & ~backslash
            found |= (delete &- ones) & ~delete
            found |= (word &- ones &* 0x20) & ~word  // below 0x20
            found |= word                            // 0x80 and above
            found &= highs
            if found != 0 { return position + found.trailingZeroBitCount >> 3 }
            position += 8
        }
        while position < count {
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            if byte == 0x22 || byte == 0x5C || byte < 0x20 || byte >= 0x7F { return position }
            position += 1
        }
        return count
    }

    private mutating func parseEscapedString(from start: Int) -> String? {
        var buffer: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(validating: buffer, as: UTF8.self)
            }
            if byte < 0x20 { return nil }
            guard byte == UInt8(ascii: "\\") else { buffer.append(byte); index += 1; continue }
            guard index + 1 < bytes.count else { return nil }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4() else { return nil }
                var scalarValue = UInt32(unit)
                if (0xD800...0xDBFF).contains(unit) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
                    index += 2
                    guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(unit) {
                    return nil
                }
                guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                buffer.append(contentsOf: String(Character(scalar)).utf8)
            default:
                return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    /// RFC 8259 number grammar. Plain integers that fit `Int64` become `.integer`.
    private mutating func parseNumber() -> FJNode? {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { return nil }
        let integerStart = index
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let integerEnd = index
        var plain = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            plain = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            plain = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if plain, integerEnd - integerStart <= 19, !(negative && integerEnd - integerStart == 1 && bytes[integerStart] == UInt8(ascii: "0")) {
            var magnitude: UInt64 = 0
            for position in integerStart..<integerEnd { magnitude = magnitude * 10 + UInt64(bytes[position] - UInt8(ascii: "0")) }
            if negative, magnitude <= UInt64(Int64.max) + 1 {
                return .integer(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
            }
            if !negative, magnitude <= UInt64(Int64.max) { return .integer(Int64(magnitude)) }
        }
        return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

/// Set by any container that gave up; the caller then asks Foundation.
final class FJState {
    var failed = false

    func fail() -> any Error {
        failed = true
        return DecodingError.dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: "fast path gave up"))
    }

    func integer<T: FixedWidthInteger>(_ node: FJNode, as _: T.Type) throws -> T {
        guard case .integer(let value) = node, let exact = T(exactly: value) else { throw fail() }
        return exact
    }

    func double(_ node: FJNode) throws -> Double {
        switch node {
        case .integer(let value):
            return Double(value)
        case .number(let text):
            // Foundation refuses a number that overflows, one that underflows to zero, and
            // (oddly) `0e5`; only a zero spelled without exponent ("0.0", "-0") is taken here.
            guard let value = Double(text), value.isFinite,
                  value != 0 || !text.utf8.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else {
                throw fail()
            }
            return value
        default:
            throw fail()
        }
    }

    func string(_ node: FJNode) throws -> String {
        guard case .string(let text) = node else { throw fail() }
        return text
    }

    func bool(_ node: FJNode) throws -> Bool {
        guard case .bool(let flag) = node else { throw fail() }
        return flag
    }

    func decode<T: Decodable>(_ type: T.Type, from node: FJNode) throws -> T {
        if T.self == String.self, case .string(let text) = node, let value = text as? T { return value }
        if foundationSpecial(T.self) { throw fail() }
        return try T(from: FJDecoder(node: node, state: self))
    }
}

struct FJDecoder: Decoder {
    let node: FJNode
    let state: FJState
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let entries) = node else { throw state.fail() }
        return KeyedDecodingContainer(FJKeyedContainer<Key>(entries: entries, state: state))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = node else { throw state.fail() }
        return FJUnkeyedContainer(elements: elements, state: state)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        FJSingleValueContainer(node: node, state: state)
    }
}

struct FJKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [(key: String, value: FJNode)]
    let state: FJState
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

    private func node(_ key: Key) throws -> FJNode {
        let name = key.stringValue
        for entry in entries where entry.key == name { return entry.value }
        throw state.fail()
    }

    func contains(_ key: Key) -> Bool {
        let name = key.stringValue
        return entries.contains { $0.key == name }
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try node(key) { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try state.bool(node(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try state.string(node(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try state.double(node(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw state.fail() }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try state.integer(node(key), as: Int.self) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try state.integer(node(key), as: Int8.self) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try state.integer(node(key), as: Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try state.integer(node(key), as: Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try state.integer(node(key), as: Int64.self) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try state.integer(node(key), as: UInt.self) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try state.integer(node(key), as: UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try state.integer(node(key), as: UInt16.self) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try state.integer(node(key), as: UInt32.self) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try state.integer(node(key), as: UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try state.decode(T.self, from: node(key)) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        guard case .object(let nested) = try node(key) else { throw state.fail() }
        return KeyedDecodingContainer(FJKeyedContainer<NestedKey>(entries: nested, state: state))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = try node(key) else { throw state.fail() }
        return FJUnkeyedContainer(elements: elements, state: state)
    }

    func superDecoder() throws -> any Decoder { throw state.fail() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw state.fail() }
}

struct FJUnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [FJNode]
    let state: FJState
    var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    init(elements: [FJNode], state: FJState) {
        self.elements = elements
        self.state = state
    }

    private mutating func next() throws -> FJNode {
        guard currentIndex < elements.count else { throw state.fail() }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count else { throw state.fail() }
        if case .null = elements[currentIndex] { currentIndex += 1; return true }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try state.bool(next()) }
    mutating func decode(_ type: String.Type) throws -> String { try state.string(next()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try state.double(next()) }
    mutating func decode(_ type: Float.Type) throws -> Float { throw state.fail() }
    mutating func decode(_ type: Int.Type) throws -> Int { try state.integer(next(), as: Int.self) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try state.integer(next(), as: Int8.self) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try state.integer(next(), as: Int16.self) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try state.integer(next(), as: Int32.self) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try state.integer(next(), as: Int64.self) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try state.integer(next(), as: UInt.self) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try state.integer(next(), as: UInt8.self) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try state.integer(next(), as: UInt16.self) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try state.integer(next(), as: UInt32.self) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try state.integer(next(), as: UInt64.self) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try state.decode(T.self, from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        guard case .object(let nested) = try next() else { throw state.fail() }
        return KeyedDecodingContainer(FJKeyedContainer<NestedKey>(entries: nested, state: state))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let nested) = try next() else { throw state.fail() }
        return FJUnkeyedContainer(elements: nested, state: state)
    }

    mutating func superDecoder() throws -> any Decoder { throw state.fail() }
}

struct FJSingleValueContainer: SingleValueDecodingContainer {
    let node: FJNode
    let state: FJState
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool {
        if case .null = node { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try state.bool(node) }
    func decode(_ type: String.Type) throws -> String { try state.string(node) }
    func decode(_ type: Double.Type) throws -> Double { try state.double(node) }
    func decode(_ type: Float.Type) throws -> Float { throw state.fail() }
    func decode(_ type: Int.Type) throws -> Int { try state.integer(node, as: Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try state.integer(node, as: Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try state.integer(node, as: Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try state.integer(node, as: Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try state.integer(node, as: Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try state.integer(node, as: UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try state.integer(node, as: UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try state.integer(node, as: UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try state.integer(node, as: UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try state.integer(node, as: UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try state.decode(T.self, from: node) }
}

extension FJNode {
    /// The text of a string node, nil for any other kind.
    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value of an integer node, nil for any other kind (other numbers included).
    var int64: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// An optional string member as `decodeIfPresent` reads it: `.some(nil)` for null,
    /// `.some(text)` for a string, nil (unreadable) for any other kind.
    var optionalText: String?? {
        switch self {
        case .null: return .some(nil)
        case .string(let text): return .some(text)
        default: return nil
        }
    }
}

/// The envelope's members (`FastJSON.parseEnvelope`).
private extension FJParser {
    /// Which envelope members were read, to refuse a repeated one as `parseObject` does.
    struct EnvelopeMembers: OptionSet {
        let rawValue: UInt16
        static let id = Self(rawValue: 1 << 0), type = Self(rawValue: 1 << 1), version = Self(rawValue: 1 << 2)
        static let occurredAt = Self(rawValue: 1 << 3), source = Self(rawValue: 1 << 4)
        static let correlationId = Self(rawValue: 1 << 5), causationId = Self(rawValue: 1 << 6)
        static let compatibleWith = Self(rawValue: 1 << 7), data = Self(rawValue: 1 << 8)
    }

    mutating func parseEnvelope() -> (header: EnvelopeHeader, data: FJNode)? {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        var read: EnvelopeMembers = []
        var otherKeys: [UnsafeRawBufferPointer] = []
        var id: UUID?, type: String?, version: Int?, occurredAt: Timestamp?, source: String?
        var correlationId: String?, causationId: UUID?, compatibleWith: Int?, data: FJNode?
        skipWhitespace()
        guard index < bytes.count, bytes[index] != UInt8(ascii: "}") else { return nil }
        while true {
            skipWhitespace()
            guard let key = plainKey() else { return nil }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace()
            let member = Self.envelopeMember(key)
            if let member {
                guard !read.contains(member) else { return nil }
                read.insert(member)
            } else {
                for other in otherKeys where other.elementsEqual(key) { return nil }
                otherKeys.append(key)
            }
            switch member {
            case .id?:
                guard let value = uuidValue() else { return nil }
                id = value
            case .type?:
                guard let text = stringValue() else { return nil }
                type = text
            case .version?:
                guard case .integer(let number)? = parseValue(depth: 1), let value = Int(exactly: number) else { return nil }
                version = value
            case .occurredAt?:
                guard let value = timestampValue() else { return nil }
                occurredAt = value
            case .source?:
                guard let text = stringValue() else { return nil }
                source = text
            case .correlationId?:
                switch parseValue(depth: 1) {
                case .null?: correlationId = nil
                case .string(let text)?: correlationId = text
                default: return nil
                }
            case .causationId?:
                if index < bytes.count, bytes[index] == UInt8(ascii: "n") {
                    guard case .null? = parseValue(depth: 1) else { return nil }
                    causationId = nil
                } else {
                    guard let value = uuidValue() else { return nil }
                    causationId = value
                }
            case .compatibleWith?:
                switch parseValue(depth: 1) {
                case .null?: compatibleWith = nil
                case .integer(let number)?:
                    guard let value = Int(exactly: number) else { return nil }
                    compatibleWith = value
                default: return nil
                }
            case .data?:
                guard let value = parseValue(depth: 1) else { return nil }
                data = value
            default:
                guard parseValue(depth: 1) != nil else { return nil }
            }
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            guard bytes[index] == UInt8(ascii: "}") else { return nil }
            index += 1
            break
        }
        guard let id, let type, let version, let occurredAt, let source, let data else { return nil }
        let header = EnvelopeHeader(id: id, type: EventType(rawValue: type), version: version, occurredAt: occurredAt,
                                    source: source, correlationId: correlationId, causationId: causationId,
                                    compatibleWith: compatibleWith)
        return (header, data)
    }

    static func envelopeMember(_ key: UnsafeRawBufferPointer) -> EnvelopeMembers? {
        // memcmp: `elementsEqual` over the two buffers went through the generic sequence
        // iterators, and this runs for every member of every envelope.
        func named(_ name: StaticString) -> Bool {
            guard name.utf8CodeUnitCount == key.count, let base = key.baseAddress else { return false }
            return memcmp(name.utf8Start, base, key.count) == 0
        }
        switch key.count {
        case 2: return named("id") ? .id : nil
        case 4: return named("type") ? .type : named("data") ? .data : nil
        case 6: return named("source") ? .source : nil
        case 7: return named("version") ? .version : nil
        case 10: return named("occurredAt") ? .occurredAt : nil
        case 11: return named("causationId") ? .causationId : nil
        case 13: return named("correlationId") ? .correlationId : nil
        case 14: return named("compatibleWith") ? .compatibleWith : nil
        default: return nil
        }
    }

    /// A key of printable ASCII without escapes, as its bytes; nil for any other key (an
    /// escaped key may spell a member's name, and keys that differ in bytes but not as
    /// `String`s would hide a repeat).
    mutating func plainKey() -> UnsafeRawBufferPointer? {
        guard let range = plainStringRange() else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// The bytes of a string of printable ASCII without escapes, starting at its opening quote,
    /// and the index after its closing quote; nil (index unchanged) for any other value.
    mutating func plainStringRange() -> Range<Int>? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let end = firstNotPlain(from: index + 1)
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        let range = (index + 1)..<end
        index = end + 1
        return range
    }

    /// A string member read as a canonical UUID, as `UUID(canonicalText:)` reads it; nil when
    /// it is not one in plain text (escaped, another form `UUID(uuidString:)` might take, or not
    /// a string).
    mutating func uuidValue() -> UUID? {
        guard let range = plainStringRange() else { return nil }
        return UUID(canonicalUTF8: UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    /// A string member as `parseString` reads it; nil for any other kind of value.
    mutating func stringValue() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        return parseString()
    }

    /// A string member read as `Timestamp(iso8601:)` reads it; nil unless it is plain text.
    mutating func timestampValue() -> Timestamp? {
        guard let range = plainStringRange() else { return nil }
        return Timestamp(iso8601UTF8: UnsafeRawBufferPointer(rebasing: bytes[range]))
    }
}
