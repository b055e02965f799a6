import Foundation

/// The Kafka record value of every event and command (DESIGN.md section 4, "Envelope").
public struct EnvelopeHeader: Sendable, Equatable {
    public var id: UUID
    public var type: EventType
    public var version: Int
    public var occurredAt: Timestamp
    public var source: String
    public var correlationId: String?
    public var causationId: UUID?
    /// The oldest version whose readers can still process this event, ignoring the fields they
    /// do not know: a producer that only added optional fields bumps `version` and keeps
    /// `compatibleWith` at the old one, so consumers not yet upgraded go on reading it. Absent,
    /// the event is readable only by readers of its own `version` (a major change).
    public var compatibleWith: Int?

    public init(id: UUID, type: EventType, version: Int, occurredAt: Timestamp, source: String,
                correlationId: String? = nil, causationId: UUID? = nil, compatibleWith: Int? = nil) {
        self.id = id; self.type = type; self.version = version; self.occurredAt = occurredAt
        self.source = source; self.correlationId = correlationId; self.causationId = causationId
        self.compatibleWith = compatibleWith
    }

    /// Whether a reader of `supported` versions may process this event.
    public func isReadable(by supported: ClosedRange<Int>) -> Bool {
        if supported.contains(version) { return true }
        guard version > supported.upperBound, let compatibleWith else { return false }
        return supported.contains(compatibleWith)
    }
}

/// An envelope whose payload type is known at compile time: what producers build.
public struct Envelope<Payload: EventPayload>: Sendable, Equatable {
    public var header: EnvelopeHeader
    public var data: Payload

    public init(header: EnvelopeHeader, data: Payload) {
        self.header = header
        self.data = data
    }

    /// A new command from an outside sender (the ops CLI, a bank, a test) with a fresh random id.
    public init(command data: Payload, source: String, id: UUID = UUID(), occurredAt: Timestamp = .now(),
                correlationId: String? = nil) {
        self.header = EnvelopeHeader(id: id, type: Payload.eventType, version: Payload.currentVersion,
                                     occurredAt: occurredAt, source: source, correlationId: correlationId)
        self.data = data
    }

    public var id: UUID { header.id }
}

/// An envelope decoded from the wire whose payload type was chosen by its `type` field.
public struct IncomingEnvelope: Sendable {
    public var header: EnvelopeHeader
    public var payload: any EventPayload

    public init(header: EnvelopeHeader, payload: any EventPayload) {
        self.header = header
        self.payload = payload
    }

    public var id: UUID { header.id }
    public var type: EventType { header.type }

    /// The payload as `P`, or nil when this envelope carries another type.
    public func payload<P: EventPayload>(as _: P.Type) -> P? { payload as? P }
}

enum EnvelopeKey: String, CodingKey {
    case id, type, version, occurredAt, source, correlationId, causationId, compatibleWith, data
}

extension Envelope: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKey.self)
        self.header = try EnvelopeHeader(from: container)
        self.data = try container.decode(Payload.self, forKey: .data)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EnvelopeKey.self)
        try header.encode(to: &container)
        try container.encode(data, forKey: .data)
    }
}

extension EnvelopeHeader {
    init(from container: KeyedDecodingContainer<EnvelopeKey>) throws {
        let idText = try container.decode(String.self, forKey: .id)
        guard let id = UUID(uuidString: idText) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "id is not a UUID")
        }
        self.id = id
        self.type = try container.decode(EventType.self, forKey: .type)
        self.version = try container.decode(Int.self, forKey: .version)
        self.occurredAt = try container.decode(Timestamp.self, forKey: .occurredAt)
        self.source = try container.decode(String.self, forKey: .source)
        self.correlationId = try container.decodeIfPresent(String.self, forKey: .correlationId)
        if let causation = try container.decodeIfPresent(String.self, forKey: .causationId) {
            guard let uuid = UUID(uuidString: causation) else {
                throw DecodingError.dataCorruptedError(forKey: .causationId, in: container,
                                                       debugDescription: "causationId is not a UUID")
            }
            self.causationId = uuid
        } else {
            self.causationId = nil
        }
        self.compatibleWith = try container.decodeIfPresent(Int.self, forKey: .compatibleWith)
    }

    func encode(to container: inout KeyedEncodingContainer<EnvelopeKey>) throws {
        try container.encode(id.lowercasedString, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(version, forKey: .version)
        try container.encode(occurredAt, forKey: .occurredAt)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(correlationId, forKey: .correlationId)
        try container.encodeIfPresent(causationId?.lowercasedString, forKey: .causationId)
        try container.encodeIfPresent(compatibleWith, forKey: .compatibleWith)
    }

    /// Envelope checks common to all types: sizes of the free-text fields.
    func validate() throws(ContractError) {
        try Check.nonEmpty(source, "source", max: 64)
        try Check.optional(correlationId, "correlationId", max: 128)
        try Check.nonEmpty(type.rawValue, "type", max: 64)
        if let compatibleWith, !(1...max(1, version)).contains(compatibleWith) {
            throw ContractError(code: "invalid-field", reason: "compatibleWith \(compatibleWith) must be between 1 and the version \(version)")
        }
    }
}
