/// Values by key, kept in the order each key was first set: rows that a batch's inputs changed,
/// written back once at its end in the order the inputs first touched them, as writing each
/// after its input did (`EventHandler.writeDeferred`).
public struct KeyedInOrder<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private var index: [Key: Int] = [:]
    public private(set) var pairs: [(key: Key, value: Value)] = []

    public init() {}

    public var isEmpty: Bool { pairs.isEmpty }

    public mutating func set(_ key: Key, _ value: Value) {
        update(key) { _ in value }
    }

    /// Sets `key`'s value to `change` of its current one (nil when the key is new).
    public mutating func update(_ key: Key, _ change: (Value?) -> Value) {
        if let position = index[key] {
            pairs[position].value = change(pairs[position].value)
        } else {
            index[key] = pairs.count
            pairs.append((key, change(nil)))
        }
    }
}

extension KeyedInOrder where Value == Void {
    /// Adds `key` unless it is there.
    public mutating func insert(_ key: Key) { set(key, ()) }

    public var keys: [Key] { pairs.map(\.key) }
}
