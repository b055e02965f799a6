import Contract
import Foundation

/// Helpers shared by the contract tests.
enum Wire {
    static let codec = EventCodec()

    /// The canonical record of `payload` under a fixed header.
    static func encode(_ payload: any EventPayload, version: Int? = nil) -> Data {
        codec.encode(header: Samples.header(for: payload, version: version), payload: payload)
    }

    /// Decodes `bytes`, returning the failure (nil when the record was accepted).
    static func failure(_ bytes: Data, catalogue: PayloadCatalogue = .all, codec: EventCodec = codec) -> DecodeFailure? {
        do {
            _ = try codec.decode(bytes, catalogue: catalogue)
            return nil
        } catch {
            return error
        }
    }

    static func failure(_ text: String, catalogue: PayloadCatalogue = .all) -> DecodeFailure? {
        failure(Data(text.utf8), catalogue: catalogue)
    }

    /// The record of `payload` with its JSON object edited by `change` (the envelope's `data`
    /// when `inData`, the envelope itself otherwise): how malformed senders are simulated.
    static func edited(_ payload: any EventPayload, inData: Bool = true,
                       _ change: (inout [String: Any]) -> Void) -> Data {
        var envelope = object(encode(payload))
        if inData {
            var data = envelope["data"] as? [String: Any] ?? [:]
            change(&data)
            envelope["data"] = data
        } else {
            change(&envelope)
        }
        return (try? JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])) ?? Data()
    }

    /// The record as a JSON object (tests only read records they just wrote).
    static func object(_ bytes: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] ?? [:]
    }

    /// The keys of the envelope's `data` object.
    static func dataKeys(_ payload: any EventPayload) -> Set<String> {
        Set((object(encode(payload))["data"] as? [String: Any] ?? [:]).keys)
    }
}

/// Whether two payloads of unknown static type are the same type and equal.
func same(_ a: any EventPayload, _ b: any EventPayload) -> Bool {
    func open<P: EventPayload>(_ a: P) -> Bool { (b as? P) == a }
    return open(a)
}
