import Foundation

/// A byte writer for the parts of a snapshot that grow with the day (orders, the book's slab,
/// the order index).
///
/// Why not `JSONEncoder` for those: it boxes every value and builds a dictionary per object, so
/// a snapshot of a day's orders cost the matching service about half its CPU at 6,000 orders/s.
/// This writes the same JSON as the types' synthesized `Codable` (same keys and nesting, nil
/// optionals left out), so `JSONDecoder` reads it back unchanged; small or rare parts are still
/// handed to `JSONEncoder` and spliced in (`fragment`). It repeats a little of `Contract`'s
/// canonical writer (string escapes, digits) because the domain module depends on nothing.
public struct SnapshotJSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next key or array element needs a comma before it.
    private var afterValue = false

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// A writer that takes over `buffer`'s storage (leaving `buffer` empty) and starts writing
    /// at its beginning, keeping its capacity, and room for an eighth more than it held (the
    /// state grows between snapshots).
    public init(reusing buffer: inout [UInt8]) {
        let previous = buffer.count
        swap(&bytes, &buffer)
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(previous + previous / 8)
    }

    /// The bytes written, leaving the writer empty: hands the storage on without a copy.
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes = []; afterValue = false }
        return bytes
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        afterValue = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        afterValue = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        afterValue = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        afterValue = true
    }

    /// A member's name; the next call writes its value.
    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        afterValue = false
    }

    public mutating func int<T: BinaryInteger>(_ value: T) {
        separate()
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
        } else {
            // Digits backwards into a small stack buffer, then forwards into the output.
            // 40 digits hold any integer up to 128 bits.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
                var magnitude = value.magnitude
                var index = buffer.count
                while magnitude > 0 {
                    index -= 1
                    buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                    magnitude /= 10
                }
                if value < 0 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(contentsOf: buffer[index...])
            }
        }
        afterValue = true
    }

    public mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: utf8[start..<index])
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: utf8[start...])
        }
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }

    /// A complete JSON value encoded elsewhere (by `JSONEncoder`), written as it is.
    public mutating func fragment(_ json: Data) {
        separate()
        bytes.append(contentsOf: json)
        afterValue = true
    }

    /// `value` encoded by `JSONEncoder`: for parts too small or rare to be worth writing by hand.
    public mutating func encoded<T: Encodable>(_ value: T) throws {
        fragment(try JSONEncoder().encode(value))
    }

    private mutating func separate() {
        if afterValue { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      Self.hexDigit(byte >> 4), Self.hexDigit(byte & 0x0F)])
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
