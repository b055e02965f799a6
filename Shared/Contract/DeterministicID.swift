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
        nameBased("\(inputID.lowercasedString)/\(index)")
    }

    /// The id of the `index`-th event `service` emitted while handling `inputID`. Services that
    /// react to the same input (registry and settlement both answer a `SubmitOrder`) must not
    /// derive the same ids, or a reader of both topics would drop one as a duplicate.
    public static func derived(from inputID: UUID, index: Int, service: String) -> UUID {
        // The same name as "\(service)/\(inputID.uuidString.lowercased())/\(index)", built as
        // bytes directly: this runs for every emitted event on the runtime's hot path.
        var name: [UInt8] = []
        name.reserveCapacity(service.utf8.count + 48)
        name.append(contentsOf: service.utf8)
        name.append(UInt8(ascii: "/"))
        inputID.appendLowercasedUTF8(to: &name)
        name.append(UInt8(ascii: "/"))
        name.append(contentsOf: String(index).utf8)
        return nameBased(utf8: name, namespace: namespace)
    }

    /// The id of the `CommandRejected` that `service` emits for a record it could not read
    /// (its payload failed validation) although its header names `inputID`. Such a record is
    /// not applied, so `inputID` may still arrive intact: that record's first event takes
    /// `derived(from: inputID, index: 0, ...)`, and a refusal under the same id would have made
    /// it look like a copy and be dropped. Index -1 is never an output's.
    public static func refusalOfUnreadable(_ inputID: UUID, service: String) -> UUID {
        derived(from: inputID, index: -1, service: service)
    }

    /// RFC 4122 section 4.3 name-based UUID in this system's namespace.
    public static func nameBased(_ name: String, namespace: UUID = DeterministicID.namespace) -> UUID {
        nameBased(utf8: Array(name.utf8), namespace: namespace)
    }

    private static func nameBased(utf8 name: [UInt8], namespace: UUID) -> UUID {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        name.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        var uuid = namespace.uuid
        withUnsafeMutableBytes(of: &uuid) { target in
            digest.withUnsafeBytes { source in target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source.prefix(16))) }
        }
        uuid.6 = (uuid.6 & 0x0F) | 0x50
        uuid.8 = (uuid.8 & 0x3F) | 0x80
        return UUID(uuid: uuid)
    }
}
