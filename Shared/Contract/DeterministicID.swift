import Crypto
import Foundation

/// Name-based (version 5, SHA-1) UUIDs for every event a service emits.
///
/// DESIGN.md section 3: if a batch is processed twice (a crash after publish and before commit,
/// or a restored backup) the second run must emit the same ids, so every downstream inbox drops
/// the copies. The id of output `index` of input `inputID` is therefore a pure function of both.
public enum DeterministicID {
    /// The namespace of this system's event ids (itself a fixed v4 UUID).
    public static let namespace = UUID(uuid: (0x6f, 0x1d, 0x2c, 0x8e, 0x4b, 0x5a, 0x4e, 0x21,
                                              0x9a, 0x3c, 0x70, 0x0e, 0x5d, 0x86, 0x1b, 0x42))

    /// The id of the `index`-th event emitted while handling the event `inputID`.
    public static func derived(from inputID: UUID, index: Int) -> UUID {
        nameBased("\(inputID.uuidString.lowercased())/\(index)")
    }

    /// The id of the `index`-th event `service` emitted while handling `inputID`. Services that
    /// react to the same input (registry and settlement both answer a `SubmitOrder`) must not
    /// derive the same ids, or a reader of both topics would drop one as a duplicate.
    public static func derived(from inputID: UUID, index: Int, service: String) -> UUID {
        nameBased("\(service)/\(inputID.uuidString.lowercased())/\(index)")
    }

    /// RFC 4122 section 4.3 name-based UUID in this system's namespace.
    public static func nameBased(_ name: String, namespace: UUID = DeterministicID.namespace) -> UUID {
        var data = Data(capacity: 16 + name.utf8.count)
        withUnsafeBytes(of: namespace.uuid) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(name.utf8))
        var bytes = Array(Insecure.SHA1.hash(data: data).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
