/// Reads what `BinaryWriter` wrote, refusing rather than trusting damaged bytes: truncation,
/// a varint longer than 64 bits, invalid UTF-8, an optional flag other than 0/1, and a count
/// larger than the bytes left could hold (so a damaged count cannot make it reserve memory).
/// What the values mean is for the caller to check.
public struct BinaryReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var index = 0

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
        index += mark.count
    }

    /// Reads the start of a layout `BinaryWriter.header(mark:format:)` wrote: `mark`, then the
    /// format byte, which must be `format` (the one this code reads). Returns the format.
    public mutating func header(mark: [UInt8], _ what: String, format current: Int) throws(BinaryDecodingError) -> Int {
        try expect(mark, what)
        let format = Int(try byte())
        guard format == current else { throw BinaryDecodingError("format \(format), this code reads \(current)") }
        return format
    }

    public mutating func byte() throws(BinaryDecodingError) -> UInt8 {
        guard index < bytes.count else { throw BinaryDecodingError("the bytes end early, at \(index)") }
        defer { index += 1 }
        return bytes[index]
    }

    public mutating func unsigned() throws(BinaryDecodingError) -> UInt64 {
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

    public mutating func signed() throws(BinaryDecodingError) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func int() throws(BinaryDecodingError) -> Int {
        let value = try signed()
        guard let int = Int(exactly: value) else { throw BinaryDecodingError("\(value) at \(index) is out of range") }
        return int
    }

    public mutating func string() throws(BinaryDecodingError) -> String {
        let count = try unsigned()
        guard count <= UInt64(bytes.count - index) else {
            throw BinaryDecodingError("a string at \(index) runs past the end")
        }
        let end = index + Int(count)
        guard let text = String(validating: bytes[index..<end], as: UTF8.self) else {
            throw BinaryDecodingError("a string at \(index) is not UTF-8")
        }
        index = end
        return text
    }

    /// A value of a `String`-backed enumeration, written as its raw text.
    public mutating func kind<Kind: RawRepresentable<String>>() throws(BinaryDecodingError) -> Kind {
        let text = try string()
        guard let kind = Kind(rawValue: text) else { throw BinaryDecodingError("'\(text)' is not a \(Kind.self)") }
        return kind
    }

    public mutating func optional<T>(_ read: (inout BinaryReader) throws(BinaryDecodingError) -> T)
        throws(BinaryDecodingError) -> T? {
        switch try byte() {
        case 0: return nil
        case 1: return try read(&self)
        case let flag: throw BinaryDecodingError("optional flag \(flag) at \(index - 1)")
        }
    }

    /// A count, then that many values; `minimumBytes` is the least one value takes.
    public mutating func array<T>(minimumBytes: Int, _ read: (inout BinaryReader) throws(BinaryDecodingError) -> T)
        throws(BinaryDecodingError) -> [T] {
        let count = try unsigned()
        guard count <= UInt64((bytes.count - index) / max(1, minimumBytes)) else {
            throw BinaryDecodingError("a count of \(count) at \(index) is more than the bytes left hold")
        }
        var values: [T] = []
        values.reserveCapacity(Int(count))
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }
}

/// Why bytes could not be read, with the offset where it showed.
public struct BinaryDecodingError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
