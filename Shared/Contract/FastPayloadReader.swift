/// How the fast path reads one catalogued payload type: directly when it can, else through
/// `Decodable` (`FastJSON.decode`). Chosen once per type, when the catalogue is built.
struct FastPayloadReader: Sendable {
    let supportedVersions: ClosedRange<Int>
    let read: @Sendable (FJNode) -> (any EventPayload)?

    init<P: EventPayload>(_: P.Type) {
        supportedVersions = P.supportedVersions
        if let direct = P.self as? any DirectJSONDecodable.Type {
            read = { direct.decodeDirectly(from: $0) }
        } else {
            read = { FastJSON.decode(P.self, from: $0) }
        }
    }
}
