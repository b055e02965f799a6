import Foundation

/// Writes one flat JSON object in canonical form straight into a byte buffer, for the payloads
/// every trade emits (`EventPayload.writeCanonicalJSON`).
///
/// Why: the generic canonical encoder builds a small tree through `Encoder` (boxes, witness
/// tables, a sort of the keys) for every record; for the handful of payload types that make up
/// nearly all of a busy market's traffic that was a measurable share of each service's loop.
/// The caller names the members in canonical order (keys by their UTF-8 bytes); debug builds
/// check that order, and the contract tests compare every such payload with Foundation's bytes.
struct CanonicalObjectWriter {
    private var first = true
    #if DEBUG
    private var lastKey: [UInt8] = []
    #endif

    init(_ out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
    }

    mutating func string(_ key: StaticString, _ value: String, to out: inout [UInt8]) {
        self.key(key, to: &out)
        CanonicalJSON.appendString(value, to: &out)
    }

    mutating func int(_ key: StaticString, _ value: Int64, to out: inout [UInt8]) {
        self.key(key, to: &out)
        CanonicalJSON.appendInteger(value, to: &out)
    }

    mutating func timestamp(_ key: StaticString, _ value: Timestamp, to out: inout [UInt8]) {
        self.key(key, to: &out)
        // Digits and "-:.TZ" only: nothing a JSON string needs to escape.
        out.append(UInt8(ascii: "\""))
        value.appendDescription(to: &out)
        out.append(UInt8(ascii: "\""))
    }

    func end(_ out: inout [UInt8]) {
        out.append(UInt8(ascii: "}"))
    }

    private mutating func key(_ key: StaticString, to out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes in
            #if DEBUG
            assert(lastKey.lexicographicallyPrecedes(bytes), "canonical keys out of order at \(key)")
            lastKey = Array(bytes)
            #endif
            out.append(contentsOf: bytes)
        }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }
}
