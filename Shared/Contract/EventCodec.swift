import Foundation

/// Which payload types a consumer understands, by envelope `type`.
public struct PayloadCatalogue: Sendable {
    /// Each type with how the fast path reads it, chosen once here rather than per record.
    private let entries: [EventType: (type: any EventPayload.Type, reader: FastPayloadReader)]

    public init(_ types: [any EventPayload.Type]) {
        var entries: [EventType: (type: any EventPayload.Type, reader: FastPayloadReader)] = [:]
        for type in types { entries[type.eventType] = (type, Self.reader(for: type)) }
        self.entries = entries
    }

    private static func reader<P: EventPayload>(for _: P.Type) -> FastPayloadReader { FastPayloadReader(P.self) }

    func fastReader(for type: EventType) -> FastPayloadReader? { entries[type]?.reader }

    public func payloadType(for type: EventType) -> (any EventPayload.Type)? { entries[type]?.type }
    public func contains(_ type: EventType) -> Bool { entries[type] != nil }
    public var eventTypes: [EventType] { entries.keys.sorted { $0.rawValue < $1.rawValue } }
}

/// A record that could not be turned into a valid envelope. `header` is set when the envelope
/// itself was readable, so the service can answer with `CommandRejected` besides dead-lettering.
public struct DecodeFailure: Error, Sendable {
    public var error: ContractError
    public var header: EnvelopeHeader?

    public init(_ error: ContractError, header: EnvelopeHeader? = nil) {
        self.error = error
        self.header = header
    }
}

/// Reads and writes envelopes as JSON, with the contract's limits and canonical encoding.
///
/// Encoding sorts keys so that the same event always has the same bytes: a re-published or
/// re-derived event is byte-identical to its first copy.
public struct EventCodec: Sendable {
    /// Records above this size are refused before parsing.
    public var maxRecordBytes: Int

    public init(maxRecordBytes: Int = 1 << 20) { self.maxRecordBytes = maxRecordBytes }

    public func decode(_ bytes: Data, catalogue: PayloadCatalogue) throws(DecodeFailure) -> IncomingEnvelope {
        try EventDecoder(catalogue: catalogue, maxRecordBytes: maxRecordBytes).decode(bytes)
    }

    public func encode<P: EventPayload>(_ envelope: Envelope<P>) -> Data {
        encode(header: envelope.header, payload: envelope.data)
    }

    /// Canonical JSON of an envelope. Encoding our own value types cannot fail; if it ever did,
    /// that is a programming error worth stopping for rather than publishing a broken record.
    public func encode(header: EnvelopeHeader, payload: any EventPayload) -> Data {
        // The specialised encoder writes the same bytes several times faster; it declines
        // (nil) whatever it does not reproduce exactly, and Foundation's encoder does that.
        if let bytes = CanonicalJSON.encodeEnvelope(header: header, payload: payload) { return Data(bytes) }
        return foundationEncode(header: header, payload: payload)
    }

    /// The reference encoding that `CanonicalJSON` reproduces (also used by the tests that
    /// compare the two byte for byte).
    public func foundationEncode(header: EnvelopeHeader, payload: any EventPayload) -> Data {
        do {
            return try canonicalEncoder.encode(AnyEnvelope(header: header, payload: payload))
        } catch {
            preconditionFailure("encoding \(header.type) failed: \(error)")
        }
    }
}

private let catalogueKey = CodingUserInfoKey(rawValue: "eco.catalogue") ?? CodingUserInfoKey.fallbackCatalogueKey

extension CodingUserInfoKey {
    /// `CodingUserInfoKey(rawValue:)` cannot fail for a plain ASCII name; this exists only so the
    /// key needs no force-unwrap.
    fileprivate static var fallbackCatalogueKey: CodingUserInfoKey {
        guard let key = CodingUserInfoKey(rawValue: "catalogue") else { preconditionFailure("CodingUserInfoKey rejected a plain name") }
        return key
    }
}

/// One configured encoder for every envelope: sorted keys make the encoding canonical.
private let canonicalEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}()

/// A decoder prepared once for one catalogue (a service's inputs), reused for every record.
public struct EventDecoder: Sendable {
    public let catalogue: PayloadCatalogue
    public let maxRecordBytes: Int
    private let decoder: JSONDecoder

    public init(catalogue: PayloadCatalogue, maxRecordBytes: Int = 1 << 20) {
        self.catalogue = catalogue
        self.maxRecordBytes = maxRecordBytes
        let decoder = JSONDecoder()
        decoder.userInfo[catalogueKey] = catalogue
        self.decoder = decoder
    }

    /// Decodes and validates one record value.
    /// - Throws: `DecodeFailure` with the reason, and the header when the envelope was readable.
    public func decode(_ bytes: Data) throws(DecodeFailure) -> IncomingEnvelope {
        guard bytes.count <= maxRecordBytes else {
            throw DecodeFailure(ContractError(code: "oversize-record",
                                              reason: "record is \(bytes.count) bytes, at most \(maxRecordBytes) allowed"))
        }
        guard !bytes.isEmpty else { throw DecodeFailure(ContractError(code: "malformed-json", reason: "record value is empty")) }
        let envelope: IncomingEnvelope
        if let fast = fastEnvelope(bytes) {
            // FastJSON reads only documents StrictJSON accepts (it is the stricter of the two;
            // the contract tests check this on damaged records), so the separate syntax pass is
            // needed only for what it leaves to Foundation.
            envelope = fast
        } else {
            do {
                try StrictJSON.check(bytes)
            } catch {
                throw DecodeFailure(error)
            }
            do {
                envelope = try foundationEnvelope(bytes)
            } catch {
                throw recoveringHeader(error, from: bytes)
            }
        }
        do {
            try envelope.header.validate()
            try envelope.payload.validate()
        } catch {
            throw DecodeFailure(error, header: envelope.header)
        }
        return envelope
    }

    /// Decodes with Foundation only, skipping the fast path: what the fast path must agree
    /// with (the tests compare the two), and the source of every decoding error's wording.
    public func foundationDecode(_ bytes: Data) throws(DecodeFailure) -> IncomingEnvelope {
        let envelope = try foundationEnvelope(bytes)
        do {
            try envelope.header.validate()
            try envelope.payload.validate()
        } catch {
            throw DecodeFailure(error, header: envelope.header)
        }
        return envelope
    }

    private func foundationEnvelope(_ bytes: Data) throws(DecodeFailure) -> IncomingEnvelope {
        do {
            let envelope = try decoder.decode(CatalogueEnvelope.self, from: bytes)
            return IncomingEnvelope(header: envelope.header, payload: envelope.payload)
        } catch let failure as DecodeFailure {
            throw failure
        } catch let error as DecodingError {
            throw DecodeFailure(error.contractError(prefix: ""))
        } catch {
            throw DecodeFailure(ContractError(code: "malformed-json", reason: "not valid JSON: \(error)"))
        }
    }

    /// The envelope read by `FastJSON`, or nil for anything it is not sure to read exactly as
    /// `CatalogueEnvelope` does through Foundation (including every error case, so refusals
    /// keep Foundation's codes and wording).
    private func fastEnvelope(_ bytes: Data) -> IncomingEnvelope? {
        if let (header, data) = bytes.withUnsafeBytes({ FastJSON.parseEnvelope($0) }) {
            // The same header and `data` as the tree below: what fails from here fails there too.
            guard let reader = catalogue.fastReader(for: header.type), reader.supportedVersions.contains(header.version),
                  let payload = reader.read(data) else { return nil }
            return IncomingEnvelope(header: header, payload: payload)
        }
        guard let root = bytes.withUnsafeBytes({ FastJSON.parse($0) }), let header = Self.header(of: root),
              let reader = catalogue.fastReader(for: header.type), reader.supportedVersions.contains(header.version),
              let data = root.member("data"), let payload = reader.read(data) else { return nil }
        return IncomingEnvelope(header: header, payload: payload)
    }

    /// The envelope's header from FastJSON's tree, or nil unless every field reads exactly as
    /// `EnvelopeHeader(from:)` reads it through Foundation.
    static func header(of root: FJNode) -> EnvelopeHeader? {
        guard case .string(let idText)? = root.member("id"), let id = UUID(canonicalText: idText),
              case .string(let typeName)? = root.member("type"),
              case .integer(let versionNumber)? = root.member("version"), let version = Int(exactly: versionNumber),
              case .string(let occurredText)? = root.member("occurredAt"), let occurredAt = Timestamp(iso8601: occurredText),
              case .string(let source)? = root.member("source") else { return nil }
        let correlationId: String?
        switch root.member("correlationId") {
        case nil, .null?: correlationId = nil
        case .string(let text)?: correlationId = text
        default: return nil
        }
        let causationId: UUID?
        switch root.member("causationId") {
        case nil, .null?: causationId = nil
        case .string(let text)?:
            guard let uuid = UUID(canonicalText: text) else { return nil }
            causationId = uuid
        default: return nil
        }
        let compatibleWith: Int?
        switch root.member("compatibleWith") {
        case nil, .null?: compatibleWith = nil
        case .integer(let number)?:
            guard let value = Int(exactly: number) else { return nil }
            compatibleWith = value
        default: return nil
        }
        return EnvelopeHeader(id: id, type: EventType(rawValue: typeName), version: version, occurredAt: occurredAt,
                              source: source, correlationId: correlationId, causationId: causationId,
                              compatibleWith: compatibleWith)
    }

}

/// Decodes `data` with the payload type that the envelope's `type` names in the catalogue.
private struct CatalogueEnvelope: Decodable {
    var header: EnvelopeHeader
    var payload: any EventPayload

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKey.self)
        let header = try EnvelopeHeader(from: container)
        guard let catalogue = decoder.userInfo[catalogueKey] as? PayloadCatalogue,
              let type = catalogue.payloadType(for: header.type) else {
            throw DecodeFailure(ContractError(code: "unknown-type",
                reason: "event type '\(header.type.rawValue.prefix(64))' is not handled by this consumer"), header: header)
        }
        guard header.isReadable(by: type.supportedVersions) else {
            let supported = "\(type.supportedVersions.lowerBound)...\(type.supportedVersions.upperBound)"
            let compatibility = header.compatibleWith.map { "; it is compatible only with version \($0) and up" }
                ?? (header.version > type.supportedVersions.upperBound ? "; it declares no compatibility with an older version (compatibleWith)" : "")
            throw DecodeFailure(ContractError(code: "unsupported-version",
                reason: "\(header.type) version \(header.version) is not supported (supported: \(supported))\(compatibility)"),
                header: header)
        }
        do {
            self.payload = try Self.decodeData(type, from: container)
        } catch let error as DecodingError {
            throw DecodeFailure(error.contractError(prefix: ""), header: header)
        }
        self.header = header
    }

    private static func decodeData<P: EventPayload>(_: P.Type, from container: KeyedDecodingContainer<EnvelopeKey>) throws -> P {
        try container.decode(P.self, forKey: .data)
    }
}

private struct AnyEnvelope: Encodable {
    var header: EnvelopeHeader
    var payload: any EventPayload

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EnvelopeKey.self)
        try header.encode(to: &container)
        try container.encode(payload, forKey: .data)
    }
}

extension DecodingError {
    /// A sentence naming the field and what was wrong with it, for `CommandRejected` and the DLQ.
    func contractError(prefix: String) -> ContractError {
        func path(_ context: Context, _ key: (any CodingKey)? = nil) -> String {
            var parts = context.codingPath
            if let key { parts.append(key) }
            var text = ""
            for part in parts {
                if let index = part.intValue { text += "[\(index)]" } else { text += text.isEmpty ? part.stringValue : ".\(part.stringValue)" }
            }
            return text.isEmpty ? "record" : text
        }
        switch self {
        case .keyNotFound(let key, let context):
            return ContractError(code: "missing-field", reason: "missing field \(path(context, key))")
        case .typeMismatch(let type, let context):
            return ContractError(code: "wrong-type", reason: "\(path(context)) has the wrong type, expected \(type)")
        case .valueNotFound(let type, let context):
            return ContractError(code: "missing-field", reason: "\(path(context)) is null, expected \(type)")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return ContractError(code: "malformed-json", reason: "not valid JSON: \(context.debugDescription.prefix(200))")
            }
            return ContractError(code: "invalid-field", reason: "\(path(context)): \(context.debugDescription.prefix(200))")
        @unknown default:
            return ContractError(code: "malformed-json", reason: "\(self)")
        }
    }
}
