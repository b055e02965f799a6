/// Reads what `BinaryWriter` wrote, refusing rather than trusting damaged bytes: truncation,
/// a varint longer than 64 bits, invalid UTF-8, an optional flag other than 0/1, and a count
/// larger than the bytes left could hold (so a damaged count cannot make it reserve memory).
/// What the values mean is for the caller to check.
public struct BinaryReader: Sendable {
    public let bytes: [UInt8]
    @usableFromInline var position = 0
    /// Where the next read starts.
    public var index: Int { position }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// A reader of what `BinaryWriter.sealed()` wrote, once its checksum matches.
    public init(verifying sealed: [UInt8]) throws(BinaryDecodingError) {
        guard sealed.count >= 8 else { throw BinaryDecodingError("\(sealed.count) bytes are too few to hold a checksum") }
        let body = sealed[..<(sealed.count - 8)]
        var stored: UInt64 = 0
        for (shift, byte) in sealed[(sealed.count - 8)...].enumerated() { stored |= UInt64(byte) << (8 * UInt64(shift)) }
        guard stored == Checksum.fnv1a64(body) else { throw BinaryDecodingError("the checksum does not match the bytes") }
        self.init(bytes: Array(body))
    }

    /// Whether every byte was read.
    public var isAtEnd: Bool { index == bytes.count }

    /// Reads `mark` exactly, or refuses.
    public mutating func expect(_ mark: [UInt8], _ what: String) throws(BinaryDecodingError) {
        guard bytes.count - index >= mark.count, Array(bytes[index..<index + mark.count]) == mark else {
            throw BinaryDecodingError("the bytes do not start with \(what)'s mark")
        }
        position += mark.count
    }

    /// Reads the start of a layout `BinaryWriter.header(mark:format:)` wrote: `mark`, then the
    /// format byte, which must be `format` (the one this code reads). Returns the format.
    public mutating func header(mark: [UInt8], _ what: String, format current: Int) throws(BinaryDecodingError) -> Int {
        try expect(mark, what)
        let format = Int(try byte())
        guard format == current else { throw BinaryDecodingError("format \(format), this code reads \(current)") }
        return format
    }

    @inlinable public mutating func byte() throws(BinaryDecodingError) -> UInt8 {
        guard index < bytes.count else { throw BinaryDecodingError("the bytes end early, at \(index)") }
        defer { position += 1 }
        return bytes[index]
    }

    @inlinable public mutating func unsigned() throws(BinaryDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 63 || (shift == 63 && byte <= 1) else {
                throw BinaryDecodingError("a number at \(index) is longer than 64 bits")
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    @inlinable public mutating func signed() throws(BinaryDecodingError) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inlinable public mutating func int() throws(BinaryDecodingError) -> Int {
        let value = try signed()
        guard let int = Int(exactly: value) else { throw BinaryDecodingError("\(value) at \(index) is out of range") }
        return int
    }

    @inlinable public mutating func string() throws(BinaryDecodingError) -> String {
        let count = try unsigned()
        guard count <= UInt64(bytes.count - index) else {
            throw BinaryDecodingError("a string at \(index) runs past the end")
        }
        let end = index + Int(count)
        guard let text = String(validating: bytes[index..<end], as: UTF8.self) else {
            throw BinaryDecodingError("a string at \(index) is not UTF-8")
        }
        position = end
        return text
    }

    /// A value of a `String`-backed enumeration, written as its raw text.
    public mutating func kind<Kind: RawRepresentable<String>>() throws(BinaryDecodingError) -> Kind {
        let text = try string()
        guard let kind = Kind(rawValue: text) else { throw BinaryDecodingError("'\(text)' is not a \(Kind.self)") }
        return kind
    }

    @inlinable public mutating func optional<T>(_ read: (inout BinaryReader) throws(BinaryDecodingError) -> T)
        throws(BinaryDecodingError) -> T? {
        switch try byte() {
        case 0: return nil
        case 1: return try read(&self)
        case let flag: throw BinaryDecodingError("optional flag \(flag) at \(index - 1)")
        }
    }

    /// A count, then that many values; `minimumBytes` is the least one value takes.
    @inlinable public mutating func array<T>(minimumBytes: Int, _ read: (inout BinaryReader) throws(BinaryDecodingError) -> T)
        throws(BinaryDecodingError) -> [T] {
        let count = try count(minimumBytes: minimumBytes)
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }

    /// A count of values that follow, each at least `minimumBytes` long: refused when the bytes
    /// left could not hold that many (for a caller that reads them into something else than an
    /// array, a dictionary say).
    @inlinable public mutating func count(minimumBytes: Int) throws(BinaryDecodingError) -> Int {
        let count = try unsigned()
        guard count <= UInt64((bytes.count - index) / max(1, minimumBytes)) else {
            throw BinaryDecodingError("a count of \(count) at \(index) is more than the bytes left hold")
        }
        return Int(count)
    }

    /// A signed number that must fit in 32 bits (the dense refs and links of an order book).
    @inlinable public mutating func int32() throws(BinaryDecodingError) -> Int32 {
        let value = try signed()
        guard let narrow = Int32(exactly: value) else { throw BinaryDecodingError("\(value) at \(index) is out of a 32-bit range") }
        return narrow
    }

    /// One of `cases`, by the position `BinaryWriter.caseOf` wrote (one byte).
    @inlinable public mutating func caseOf<Value>(_ cases: [Value]) throws(BinaryDecodingError) -> Value {
        let code = Int(try byte())
        guard code < cases.count else {
            throw BinaryDecodingError("\(code) at \(index - 1) names none of the \(cases.count) \(Value.self) cases")
        }
        return cases[code]
    }

    /// A length, then that many bytes as they are (a part in a layout of its own).
    public mutating func part() throws(BinaryDecodingError) -> ArraySlice<UInt8> {
        let count = try count(minimumBytes: 1)
        defer { position += count }
        return bytes[index..<(index + count)]
    }
}

/// Why bytes could not be read, with the offset where it showed.
public struct BinaryDecodingError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
