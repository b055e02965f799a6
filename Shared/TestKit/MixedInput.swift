import Contract
import Foundation

/// One input of a test batch that mixes payload types and topics, encoded as the envelope a
/// producer would send, under a chosen id (so that two runs of the same inputs are comparable).
public struct MixedInput: Sendable {
    public var payload: any EventPayload
    public var topic: Topic
    public var id: UUID

    public init(payload: any EventPayload, topic: Topic, id: UUID) {
        self.payload = payload
        self.topic = topic
        self.id = id
    }

    /// Inputs with ids derived from `name` and their position.
    public static func numbered(_ name: String, _ inputs: [(any EventPayload, Topic)]) -> [MixedInput] {
        inputs.enumerated().map { index, input in
            MixedInput(payload: input.0, topic: input.1, id: DeterministicID.nameBased("\(name)/\(index)"))
        }
    }

    /// The envelope's bytes.
    public func encoded(by codec: EventCodec) -> Data { Self.encode(payload, id: id, codec: codec) }

    private static func encode<P: EventPayload>(_ payload: P, id: UUID, codec: EventCodec) -> Data {
        codec.encode(Envelope(command: payload, source: "test", id: id))
    }
}
