/// Values by key, kept in the order each key was first set: rows that a batch's inputs changed,
/// written back once at its end in the order the inputs first touched them, as writing each
/// after its input did (`EventHandler.writeDeferred`).
///
/// Inlinable so that the services' modules specialise it for their keys: unspecialised, every
/// `update` built its tuple's type metadata at run time (5-6% of settlement's loop in a profile).
public struct KeyedInOrder<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    @usableFromInline var index: [Key: Int] = [:]
    @usableFromInline var storage: [(key: Key, value: Value)] = []

    /// The keys and their values, in the order each key was first set.
    @inlinable public var pairs: [(key: Key, value: Value)] { storage }

    @inlinable public init() {}

    @inlinable public var isEmpty: Bool { storage.isEmpty }

    @inlinable public mutating func set(_ key: Key, _ value: Value) {
        update(key) { _ in value }
    }

    /// Sets `key`'s value to `change` of its current one (nil when the key is new).
    @inlinable public mutating func update(_ key: Key, _ change: (Value?) -> Value) {
        if let position = index[key] {
            storage[position].value = change(storage[position].value)
        } else {
            index[key] = storage.count
            storage.append((key, change(nil)))
        }
    }
}

extension KeyedInOrder where Value == Void {
    /// Adds `key` unless it is there.
    @inlinable public mutating func insert(_ key: Key) { set(key, ()) }

    @inlinable public var keys: [Key] { storage.map(\.key) }
}
