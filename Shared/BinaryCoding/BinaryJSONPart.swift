import Foundation

/// A part of a binary layout kept as JSON: for values that stay small (rules, sessions) and
/// whose `Codable` form is already tested, where a field-by-field layout would only add code.
extension BinaryWriter {
    /// `value` as `JSONEncoder` writes it, behind its length.
    public mutating func json(_ value: some Encodable) throws {
        let encoded = try JSONEncoder().encode(value)
        unsigned(UInt64(encoded.count))
        storage.append(contentsOf: encoded)
    }
}

extension BinaryReader {
    /// What `BinaryWriter.json` wrote, read by `JSONDecoder`.
    public mutating func json<Value: Decodable>(_ type: Value.Type) throws(BinaryDecodingError) -> Value {
        let start = index
        let part = try self.part()
        do {
            return try JSONDecoder().decode(type, from: Data(part))
        } catch {
            throw BinaryDecodingError("the \(Value.self) part at \(start) does not decode: \(error)")
        }
    }
}
