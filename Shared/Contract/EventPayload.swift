/// The name of an event or command type, as carried in the envelope's `type` and in headers.
public struct EventType: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// The `data` of an envelope: one command or event of the contract.
///
/// Every payload validates itself after decoding, so a service never applies a record whose
/// fields are out of range; the thrown `ContractError` is what the sender reads back.
public protocol EventPayload: Codable, Sendable, Equatable {
    /// The envelope `type` this payload travels under.
    static var eventType: EventType { get }
    /// The envelope versions this build understands. Fields added later are optional, so a
    /// newer minor version still decodes; an unknown version is refused with a reason.
    static var supportedVersions: ClosedRange<Int> { get }
    /// The Kafka record key (the topic's partition key: entity, instrument, account, district).
    var partitionKey: String { get }
    /// Checks the business ranges that decoding alone cannot (signs, ticks, sizes, enumerations).
    func validate() throws(ContractError)
    /// Writes the payload's canonical JSON object (what `EventCodec.foundationEncode` writes as
    /// `data`) straight into `out` and returns true, or returns false (the default) to leave it
    /// to the generic encoder. Implemented by the payloads every trade emits.
    func writeCanonicalJSON(to out: inout [UInt8]) -> Bool
}

extension EventPayload {
    public func writeCanonicalJSON(to out: inout [UInt8]) -> Bool { false }

    public static var supportedVersions: ClosedRange<Int> { 1...1 }
    public static var currentVersion: Int { supportedVersions.upperBound }
}
