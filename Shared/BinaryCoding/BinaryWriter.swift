/// Writes the compact binary layout of the services' snapshots (`BinaryReader` reads it):
/// LEB128 varints (signed ones zigzag-encoded), strings as a varint length and UTF-8, optional
/// values behind a 0/1 byte, arrays behind a varint count. Snapshots are read at every restart,
/// and Foundation's JSON took as long to read one as replaying the journal it replaces.
public struct BinaryWriter: Sendable {
    @usableFromInline var storage: [UInt8] = []
    /// What was written so far.
    public var bytes: [UInt8] { storage }

    public init(capacity: Int = 0) { storage.reserveCapacity(capacity) }

    /// A writer that starts empty in `buffer`'s storage, which it takes (`buffer` is left
    /// empty): a large layout written again and again (matching's snapshots) reuses its memory
    /// instead of faulting in and zeroing fresh pages each time. `take()` hands it back.
    public init(reusing buffer: inout [UInt8]) {
        swap(&storage, &buffer)
        storage.removeAll(keepingCapacity: true)
    }

    @inlinable public mutating func raw(_ values: [UInt8]) { storage += values }

    @inlinable public mutating func byte(_ value: UInt8) { storage.append(value) }

    /// The start of a layout: its `mark` (what it is), then its format byte (which version of it).
    public mutating func header(mark: [UInt8], format: Int) {
        raw(mark)
        byte(UInt8(truncatingIfNeeded: format))
    }

    @inlinable public mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            storage.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        storage.append(UInt8(value))
    }

    @inlinable public mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @inlinable public mutating func signed(_ value: Int) { signed(Int64(value)) }

    @inlinable public mutating func string(_ text: String) {
        unsigned(UInt64(text.utf8.count))
        storage += text.utf8
    }

    /// A case of a small enumeration as its position in `allCases` (one byte; `BinaryReader.caseOf`).
    @inlinable public mutating func caseOf<Value: CaseIterable & Equatable>(_ value: Value) where Value.AllCases == [Value] {
        byte(UInt8(truncatingIfNeeded: Value.allCases.firstIndex(of: value) ?? 0))
    }

    @inlinable public mutating func optional<T>(_ value: T?, _ write: (inout BinaryWriter, T) -> Void) {
        guard let value else { storage.append(0); return }
        storage.append(1)
        write(&self, value)
    }

    @inlinable public mutating func array<T>(_ values: [T], _ write: (inout BinaryWriter, T) -> Void) {
        unsigned(UInt64(values.count))
        for value in values { write(&self, value) }
    }

    /// The bytes written, followed by their checksum (`BinaryReader(verifying:)`): a flipped
    /// byte inside an id or a name decodes into something that looks valid, so only the
    /// checksum can tell.
    public func sealed() -> [UInt8] {
        var copy = self
        copy.seal()
        return copy.bytes
    }

    /// `sealed()` in place: appends the checksum to `bytes` instead of copying them.
    public mutating func seal() {
        var checksum = Checksum.fnv1a64(storage[...]).littleEndian
        withUnsafeBytes(of: &checksum) { storage.append(contentsOf: $0) }
    }

    /// Takes the bytes written out of the writer (which is left empty), without a copy.
    public mutating func take() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &storage)
        return taken
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
