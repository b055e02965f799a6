/// Checks shared by every payload's `validate()`: each returns a `ContractError` naming the
/// field, so that a refusal tells the sender exactly what to fix.
public enum Check {
    /// Longest string any field may carry; larger ones are refused, not truncated.
    public static let maxStringLength = 256

    public static func nonEmpty(_ value: String, _ field: String, max: Int = maxStringLength) throws(ContractError) {
        if value.isEmpty { throw .invalid("\(field) must not be empty") }
        if value.utf8.count > max {
            throw ContractError(code: "oversize-field", reason: "\(field) is \(value.utf8.count) bytes, at most \(max) allowed")
        }
    }

    public static func optional(_ value: String?, _ field: String, max: Int = maxStringLength) throws(ContractError) {
        if let value { try nonEmpty(value, field, max: max) }
    }

    /// An identifier: letters, digits and `._:-`, so ids are safe as Kafka keys and file names.
    public static func identifier(_ value: String, _ field: String, max: Int = 64) throws(ContractError) {
        try nonEmpty(value, field, max: max)
        // Nearly every id is plain ASCII: check its bytes, and read scalars only to name a bad one.
        if value.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy(isIdentifierByte) }) == true { return }
        for scalar in value.unicodeScalars where !isIdentifierScalar(scalar) {
            throw .invalid("\(field) '\(value.prefix(64))' contains '\(scalar)'; only letters, digits and . _ : - are allowed")
        }
    }

    public static func positive(_ value: Int64, _ field: String) throws(ContractError) {
        if value <= 0 { throw .invalid("\(field) must be positive, got \(value)") }
    }

    public static func nonNegative(_ value: Int64, _ field: String) throws(ContractError) {
        if value < 0 { throw .invalid("\(field) must not be negative, got \(value)") }
    }

    public static func range<T: Comparable>(_ value: T, _ bounds: ClosedRange<T>, _ field: String) throws(ContractError) {
        if !bounds.contains(value) {
            throw .invalid("\(field) must be within \(bounds.lowerBound)...\(bounds.upperBound), got \(value)")
        }
    }

    public static func finite(_ value: Double, _ field: String) throws(ContractError) {
        if !value.isFinite { throw .invalid("\(field) must be a finite number") }
    }

    public static func count<C: Collection>(_ items: C, _ field: String, min: Int = 0, max: Int) throws(ContractError) {
        if items.count < min { throw .invalid("\(field) needs at least \(min) item(s), got \(items.count)") }
        if items.count > max {
            throw ContractError(code: "oversize-field", reason: "\(field) has \(items.count) items, at most \(max) allowed")
        }
    }

    /// `isIdentifierScalar` for one byte of UTF-8 (false for every byte of a longer scalar).
    @inline(__always)
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
    }

    private static func isIdentifierScalar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", ":", "-": return true
        default: return false
        }
    }
}
