/// A lowercase-string enumeration of the contract (sector, side, level, ...).
///
/// Decoding an unknown value names the allowed ones, so the refusal tells the sender what to send.
public protocol ContractEnum: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {}

extension ContractEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(in: container,
                debugDescription: "unknown value '\(text.prefix(40))', expected one of: \(allowed)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
