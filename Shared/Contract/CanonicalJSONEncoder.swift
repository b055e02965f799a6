import Foundation

/// A specialised encoder for envelopes whose output is byte-identical to Foundation's
/// `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` (the canonical form of
/// `EventCodec`).
///
/// Why it exists: Foundation's generic coder cost about a tenth of the runtime's CPU per record
/// (dynamic casts for `Date`/`Data`/`URL`/`Decimal` on every nested value, coding-path
/// bookkeeping, an intermediate dictionary per object). This one builds a small tree and
/// writes it once. It reproduces Foundation's rules exactly: keys sorted by their UTF-8 bytes,
/// the same string escapes, integers by `description`, doubles by `description` without a
/// trailing `.0`, an object that encoded nothing as `{}`, a key set twice keeps its last value.
///
/// Anything it does not reproduce on purpose (`Date`, `Data`, `URL`, `Decimal`, non-finite
/// floats, super-encoders, mixing container kinds, very deep nesting) makes it give up and
/// return nil, and the caller uses `JSONEncoder`: a gap here costs speed, never bytes. The
/// contract tests compare both encoders over every payload sample and over random strings
/// and numbers.
enum CanonicalJSON {
    /// The canonical bytes of an envelope, or nil when the payload needs Foundation's encoder.
    static func encodeEnvelope(header: EnvelopeHeader, payload: any EventPayload) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(384)
        // The envelope's keys in UTF-8 order: causationId, compatibleWith, correlationId, data, id,
        // occurredAt, source, type, version (absent optionals are omitted, as `encodeIfPresent`
        // does).
        out.append(UInt8(ascii: "{"))
        if let causation = header.causationId {
            appendKey("causationId", to: &out)
            appendQuotedUUID(causation, to: &out)
            out.append(UInt8(ascii: ","))
        }
        if let compatibleWith = header.compatibleWith {
            appendKey("compatibleWith", to: &out)
            appendInteger(Int64(compatibleWith), to: &out)
            out.append(UInt8(ascii: ","))
        }
        if let correlation = header.correlationId {
            appendKey("correlationId", to: &out)
            appendString(correlation, to: &out)
            out.append(UInt8(ascii: ","))
        }
        appendKey("data", to: &out)
        if !payload.writeCanonicalJSON(to: &out) {
            let state = CJState()
            let root = CJEncoder(state: state)
            do {
                try payload.encode(to: root)
            } catch {
                return nil
            }
            guard !state.unsupported, write(root.value ?? .object(CJObject()), to: &out, depth: 1) else { return nil }
        }
        out.append(UInt8(ascii: ","))
        appendKey("id", to: &out)
        appendQuotedUUID(header.id, to: &out)
        out.append(UInt8(ascii: ","))
        appendKey("occurredAt", to: &out)
        // Digits and "-:.TZ" only: nothing a JSON string needs to escape.
        out.append(UInt8(ascii: "\""))
        header.occurredAt.appendDescription(to: &out)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ","))
        appendKey("source", to: &out)
        appendString(header.source, to: &out)
        out.append(UInt8(ascii: ","))
        appendKey("type", to: &out)
        appendString(header.type.rawValue, to: &out)
        out.append(UInt8(ascii: ","))
        appendKey("version", to: &out)
        appendInteger(Int64(header.version), to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The canonical bytes of any `Encodable` value, or nil when it needs Foundation's encoder.
    static func encode<T: Encodable>(_ value: T) -> [UInt8]? {
        let state = CJState()
        guard let tree = try? state.box(value), !state.unsupported else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(256)
        guard write(tree, to: &out, depth: 0) else { return nil }
        return out
    }

    /// Foundation refuses nesting at 512 levels; far below that we simply defer to it.
    private static let maximumDepth = 256

    private static func write(_ value: CJValue, to out: inout [UInt8], depth: Int) -> Bool {
        guard depth < maximumDepth else { return false }
        switch value {
        case .string(let text):
            appendString(text, to: &out)
        case .number(let text):
            out.append(contentsOf: text.utf8)
        case .bool(let flag):
            out.append(contentsOf: flag ? "true".utf8 : "false".utf8)
        case .null:
            out.append(contentsOf: "null".utf8)
        case .array(let array):
            out.append(UInt8(ascii: "["))
            for (index, element) in array.elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard write(element, to: &out, depth: depth + 1) else { return false }
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let entries = object.entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, entry) in entries.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(entry.key, to: &out)
                out.append(UInt8(ascii: ":"))
                guard write(entry.value, to: &out, depth: depth + 1) else { return false }
            }
            out.append(UInt8(ascii: "}"))
        }
        return true
    }

    private static func appendKey(_ key: StaticString, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    private static func appendQuotedUUID(_ uuid: UUID, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        uuid.appendLowercasedUTF8(to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Foundation's escapes: quote, backslash, the five short control escapes, every other
    /// control byte as `\u00xx` in lower-case hex; `/` and all non-ASCII bytes stay as they are.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var mark = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if index > mark { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[mark..<index])) }
                mark = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 0x0F))
                }
            }
            if bytes.count > mark { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[mark...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// An integer as Foundation writes it (its `description`), without building a `String`.
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var index = digits.count
            while magnitude > 0 {
                index -= 1
                digits[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            }
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: digits[index...])
        }
    }

    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Foundation writes a finite double as its `description` without a trailing `.0`.
    static func number(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    static func number(_ value: Float) -> String? {
        guard value.isFinite else { return nil }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}

/// A JSON value under construction. Objects and arrays are references because a nested
/// container keeps writing into its parent after it was handed out.
enum CJValue {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case object(CJObject)
    case array(CJArray)
}

final class CJObject {
    var entries: [(key: String, value: CJValue)] = []

    /// Sets `key`, replacing an earlier value (Foundation keeps the last one too).
    func set(_ value: CJValue, for key: String) {
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append((key, value))
        }
    }

    func nested(for key: String, make: () -> CJValue) -> CJValue {
        if let existing = entries.first(where: { $0.key == key })?.value { return existing }
        let value = make()
        entries.append((key, value))
        return value
    }
}

final class CJArray {
    var elements: [CJValue] = []
}

/// Shared by every container of one encoding: set when something was met that only
/// Foundation's encoder reproduces, so the whole value is re-encoded by it.
final class CJState {
    var unsupported = false

    func box<T: Encodable>(_ value: T) throws -> CJValue {
        if T.self == String.self, let text = value as? String { return .string(text) }
        if foundationSpecial(T.self) {
            unsupported = true
            return .null
        }
        let encoder = CJEncoder(state: self)
        try value.encode(to: encoder)
        return encoder.value ?? .object(CJObject())
    }
}

/// Types Foundation's coders special-case by dynamic cast (`Date`, `Data`, `URL`, `Decimal`)
/// and every class (which may bridge to one of them): we leave those to Foundation.
func foundationSpecial(_ type: Any.Type) -> Bool {
    type == Date.self || type == Data.self || type == URL.self || type == Decimal.self || type is AnyObject.Type
}

final class CJEncoder: Encoder {
    let state: CJState
    var value: CJValue?

    init(state: CJState) { self.state = state }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: CJObject
        if case .object(let existing)? = value {
            object = existing
        } else {
            if value != nil { state.unsupported = true }
            object = CJObject()
            value = .object(object)
        }
        return KeyedEncodingContainer(CJKeyedContainer<Key>(state: state, object: object))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: CJArray
        if case .array(let existing)? = value {
            array = existing
        } else {
            if value != nil { state.unsupported = true }
            array = CJArray()
            value = .array(array)
        }
        return CJUnkeyedContainer(state: state, array: array)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { CJSingleValueContainer(encoder: self) }
}

struct CJKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: CJState
    let object: CJObject
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { object.set(.null, for: key.stringValue) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { object.set(.bool(value), for: key.stringValue) }
    mutating func encode(_ value: String, forKey key: Key) throws { object.set(.string(value), for: key.stringValue) }
    mutating func encode(_ value: Double, forKey key: Key) throws { object.set(try double(value), for: key.stringValue) }
    mutating func encode(_ value: Float, forKey key: Key) throws { object.set(try float(value), for: key.stringValue) }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.set(.number(String(value)), for: key.stringValue) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { object.set(.number(String(value)), for: key.stringValue) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { object.set(.number(String(value)), for: key.stringValue) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { object.set(.number(String(value)), for: key.stringValue) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { object.set(.number(String(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { object.set(.number(String(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { object.set(.number(String(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { object.set(.number(String(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { object.set(.number(String(value)), for: key.stringValue) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { object.set(.number(String(value)), for: key.stringValue) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(try state.box(value), for: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                         forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = object.nested(for: key.stringValue, make: { .object(CJObject()) })
        guard case .object(let child) = nested else {
            state.unsupported = true
            return KeyedEncodingContainer(CJKeyedContainer<NestedKey>(state: state, object: CJObject()))
        }
        return KeyedEncodingContainer(CJKeyedContainer<NestedKey>(state: state, object: child))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = object.nested(for: key.stringValue, make: { .array(CJArray()) })
        guard case .array(let child) = nested else {
            state.unsupported = true
            return CJUnkeyedContainer(state: state, array: CJArray())
        }
        return CJUnkeyedContainer(state: state, array: child)
    }

    mutating func superEncoder() -> any Encoder {
        state.unsupported = true
        return CJEncoder(state: state)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        state.unsupported = true
        return CJEncoder(state: state)
    }

    private func double(_ value: Double) throws -> CJValue {
        guard let text = CanonicalJSON.number(value) else { state.unsupported = true; return .null }
        return .number(text)
    }

    private func float(_ value: Float) throws -> CJValue {
        guard let text = CanonicalJSON.number(value) else { state.unsupported = true; return .null }
        return .number(text)
    }
}

struct CJUnkeyedContainer: UnkeyedEncodingContainer {
    let state: CJState
    let array: CJArray
    var codingPath: [any CodingKey] { [] }
    var count: Int { array.elements.count }

    mutating func encodeNil() throws { array.elements.append(.null) }
    mutating func encode(_ value: Bool) throws { array.elements.append(.bool(value)) }
    mutating func encode(_ value: String) throws { array.elements.append(.string(value)) }
    mutating func encode(_ value: Double) throws { array.elements.append(number(CanonicalJSON.number(value))) }
    mutating func encode(_ value: Float) throws { array.elements.append(number(CanonicalJSON.number(value))) }
    mutating func encode(_ value: Int) throws { array.elements.append(.number(String(value))) }
    mutating func encode(_ value: Int8) throws { array.elements.append(.number(String(value))) }
    mutating func encode(_ value: Int16) throws { array.elements.append(.number(String(value))) }
    mutating func encode(_ value: Int32) throws { array.elements.append(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { array.elements.append(.number(String(value))) }
    mutating func encode(_ value: UInt) throws { array.elements.append(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { array.elements.append(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { array.elements.append(.number(String(value))) }
    mutating func encode(_ value: UInt32) throws { array.elements.append(.number(String(value))) }
    mutating func encode(_ value: UInt64) throws { array.elements.append(.number(String(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws { array.elements.append(try state.box(value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = CJObject()
        array.elements.append(.object(child))
        return KeyedEncodingContainer(CJKeyedContainer<NestedKey>(state: state, object: child))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = CJArray()
        array.elements.append(.array(child))
        return CJUnkeyedContainer(state: state, array: child)
    }

    mutating func superEncoder() -> any Encoder {
        state.unsupported = true
        return CJEncoder(state: state)
    }

    private func number(_ text: String?) -> CJValue {
        guard let text else { state.unsupported = true; return .null }
        return .number(text)
    }
}

struct CJSingleValueContainer: SingleValueEncodingContainer {
    let encoder: CJEncoder
    var codingPath: [any CodingKey] { [] }

    private func put(_ value: CJValue) {
        // Foundation traps on a second value; deferring to it keeps that behaviour.
        if encoder.value != nil { encoder.state.unsupported = true }
        encoder.value = value
    }

    private func put(_ text: String?) {
        guard let text else { encoder.state.unsupported = true; return }
        put(.number(text))
    }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(CanonicalJSON.number(value)) }
    mutating func encode(_ value: Float) throws { put(CanonicalJSON.number(value)) }
    mutating func encode(_ value: Int) throws { put(.number(String(value))) }
    mutating func encode(_ value: Int8) throws { put(.number(String(value))) }
    mutating func encode(_ value: Int16) throws { put(.number(String(value))) }
    mutating func encode(_ value: Int32) throws { put(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { put(.number(String(value))) }
    mutating func encode(_ value: UInt) throws { put(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { put(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { put(.number(String(value))) }
    mutating func encode(_ value: UInt32) throws { put(.number(String(value))) }
    mutating func encode(_ value: UInt64) throws { put(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { put(try encoder.state.box(value)) }
}

/// A hex digit's value (either case), or 0xFF for any other byte, so a caller can OR the
/// results together and look once. Two wrapping subtractions instead of range patterns: the
/// patterns compiled to calls of `ClosedRange.contains`.
@inline(__always)
private func hexNibble(_ byte: UInt8) -> UInt8 {
    let digit = byte &- UInt8(ascii: "0")
    if digit < 10 { return digit }
    let letter = (byte | 0x20) &- UInt8(ascii: "a")
    return letter < 6 ? letter &+ 10 : 0xFF
}

extension UUID {
    /// The lower-case textual form (`uuidString.lowercased()`) without the two intermediate
    /// strings: ids are formatted several times per record on the runtime's hot path.
    public var lowercasedString: String {
        String(unsafeUninitializedCapacity: 36) { writeLowercasedUTF8(into: $0) }
    }

    /// Writes the 36 bytes of the lower-case text into `buffer` (at least 36 long); returns 36.
    /// Each byte goes to a fixed place, as in `init(canonicalUTF8:)`.
    private func writeLowercasedUTF8(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        withUnsafeBytes(of: uuid) { bytes in
            @inline(__always)
            func put(_ byte: Int, at index: Int) {
                buffer[index] = CanonicalJSON.hexDigit(bytes[byte] >> 4)
                buffer[index &+ 1] = CanonicalJSON.hexDigit(bytes[byte] & 0x0F)
            }
            put(0, at: 0); put(1, at: 2); put(2, at: 4); put(3, at: 6)
            buffer[8] = UInt8(ascii: "-")
            put(4, at: 9); put(5, at: 11)
            buffer[13] = UInt8(ascii: "-")
            put(6, at: 14); put(7, at: 16)
            buffer[18] = UInt8(ascii: "-")
            put(8, at: 19); put(9, at: 21)
            buffer[23] = UInt8(ascii: "-")
            put(10, at: 24); put(11, at: 26); put(12, at: 28); put(13, at: 30); put(14, at: 32); put(15, at: 34)
        }
        return 36
    }

    /// Parses the canonical 8-4-4-4-12 hex form (either case), else defers to
    /// `UUID(uuidString:)`, which on Linux goes through `sscanf` (visible in the runtime's
    /// profile at two ids per record).
    init?(canonicalText text: String) {
        var text = text
        if let parsed = text.withUTF8({ UUID(canonicalUTF8: UnsafeRawBufferPointer($0)) }) {
            self = parsed
        } else if let fallback = UUID(uuidString: text) {
            self = fallback
        } else {
            return nil
        }
    }

    /// The canonical 8-4-4-4-12 hex form (either case) read from UTF-8 bytes, without making a
    /// `String` of them; nil for anything else. Each byte pair is read at a fixed position and
    /// a bad digit is noticed once at the end: a loop that tested each position for a dash and
    /// each digit for failure was 2-3% of every service's CPU (several ids per record).
    init?(canonicalUTF8 bytes: UnsafeRawBufferPointer) {
        let dash = UInt8(ascii: "-")
        guard bytes.count == 36, bytes[8] == dash, bytes[13] == dash, bytes[18] == dash, bytes[23] == dash else {
            return nil
        }
        var invalid: UInt8 = 0
        @inline(__always)
        func pair(_ at: Int) -> UInt8 {
            let high = hexNibble(bytes[at]), low = hexNibble(bytes[at &+ 1])
            invalid |= high | low
            return high &<< 4 | low & 0x0F
        }
        let uuid: uuid_t = (pair(0), pair(2), pair(4), pair(6), pair(9), pair(11), pair(14), pair(16),
                            pair(19), pair(21), pair(24), pair(26), pair(28), pair(30), pair(32), pair(34))
        guard invalid & 0xF0 == 0 else { return nil }
        self.init(uuid: uuid)
    }

    /// Written into a 36-byte stack buffer and appended at once: a capacity check per byte was
    /// the larger part of formatting an id.
    func appendLowercasedUTF8(to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { buffer in
            let count = writeLowercasedUTF8(into: buffer)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
