/// Writes the compact binary layout of the services' snapshots (`BinaryReader` reads it):
/// LEB128 varints (signed ones zigzag-encoded), strings as a varint length and UTF-8, optional
/// values behind a 0/1 byte, arrays behind a varint count. Snapshots are read at every restart,
/// and Foundation's JSON took as long to read one as replaying the journal it replaces.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public mutating func raw(_ values: [UInt8]) { bytes += values }

    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// The start of a layout: its `mark` (what it is), then its format byte (which version of it).
    public mutating func header(mark: [UInt8], format: Int) {
        raw(mark)
        byte(UInt8(truncatingIfNeeded: format))
    }

    public mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    public mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func signed(_ value: Int) { signed(Int64(value)) }

    public mutating func string(_ text: String) {
        unsigned(UInt64(text.utf8.count))
        bytes += text.utf8
    }

    public mutating func optional<T>(_ value: T?, _ write: (inout BinaryWriter, T) -> Void) {
        guard let value else { bytes.append(0); return }
        bytes.append(1)
        write(&self, value)
    }

    public mutating func array<T>(_ values: [T], _ write: (inout BinaryWriter, T) -> Void) {
        unsigned(UInt64(values.count))
        for value in values { write(&self, value) }
    }

    /// The bytes written, followed by their checksum (`BinaryReader(verifying:)`): a flipped
    /// byte inside an id or a name decodes into something that looks valid, so only the
    /// checksum can tell.
    public func sealed() -> [UInt8] {
        var checksum = Checksum.fnv1a64(bytes[...]).littleEndian
        return bytes + withUnsafeBytes(of: &checksum) { Array($0) }
    }
}

/// FNV-1a, 64 bits: a checksum against damage, not against forgery.
enum Checksum {
    static func fnv1a64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
