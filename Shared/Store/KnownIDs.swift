import GRDB
import Synchronization

/// The event ids held in one of the runtime's tables, mirrored in memory so the table itself
/// can be append-only.
///
/// A unique index on random event ids made every batch touch pages all over a B-tree that
/// only grows: 5,000 inserts dirtied thousands of 4 KB pages, each written to the WAL and again
/// at the checkpoint, and the runtime slowed as the store grew. The table now has no index on
/// the id, and the question "seen before?" is answered here. The mirror follows the table
/// exactly: ids added inside a transaction count at once for that transaction and are kept or
/// dropped when `EventStore.write` sees it commit or fail (`settle`); ids deleted from the table
/// are removed with `forget`. GRDB's transaction observers were not used for this: a statement
/// failing with a full disk makes SQLite roll back by itself, and the mirror must not depend
/// on being told.
final class KnownIDs: Sendable {
    private struct State {
        /// Every id of the table, including those the open transaction added.
        var ids = EventKeySet()
        /// What the open transaction added and removed, to undo or finish when it ends.
        var added: [EventKey] = []
        var pendingRemovals: [EventKey] = []
    }

    private let state = Mutex(State())

    /// Loads every id of `column` in `table`.
    init(_ db: Database, table: String, column: String) throws {
        var loaded = EventKeySet()
        let cursor = try String.fetchCursor(db, sql: "SELECT \(column) FROM \(table)")
        while let id = try cursor.next() { loaded.insert(EventKey(id)) }
        state.withLock { $0.ids = loaded }
    }

    var count: Int { state.withLock { $0.ids.count } }

    func contains(_ id: String) -> Bool {
        let key = EventKey(id)
        return state.withLock { $0.ids.contains(key) }
    }

    /// Adds `id` as part of the current transaction. False when it is already known.
    func insert(_ id: String) -> Bool {
        let key = EventKey(id)
        return state.withLock { state in
            guard state.ids.insert(key).inserted else { return false }
            state.added.append(key)
            return true
        }
    }

    /// Removes ids whose rows the current transaction deleted, once it commits.
    func forget(_ ids: some Sequence<String>) {
        let keys = ids.map(EventKey.init)
        state.withLock { $0.pendingRemovals.append(contentsOf: keys) }
    }

    /// Ends the transaction's ids: kept when it committed, dropped when it did not.
    func settle(committed: Bool) {
        state.withLock { state in
            if committed {
                for key in state.pendingRemovals { state.ids.remove(key) }
            } else {
                for key in state.added { state.ids.remove(key) }
            }
            state.added.removeAll(keepingCapacity: true)
            state.pendingRemovals = []
        }
    }
}

/// A set of event keys stored as two sets, so that the UUIDs (nearly all of them) take 16
/// bytes each rather than the 24 of an enum that could also hold a string.
struct EventKeySet {
    private var uuids = Set<UUIDBits>()
    private var texts = Set<String>()

    var count: Int { uuids.count + texts.count }

    func contains(_ key: EventKey) -> Bool {
        switch key {
        case .uuid(let bits): uuids.contains(bits)
        case .text(let text): texts.contains(text)
        }
    }

    @discardableResult
    mutating func insert(_ key: EventKey) -> (inserted: Bool, memberAfterInsert: EventKey) {
        switch key {
        case .uuid(let bits): (uuids.insert(bits).inserted, key)
        case .text(let text): (texts.insert(text).inserted, key)
        }
    }

    mutating func remove(_ key: EventKey) {
        switch key {
        case .uuid(let bits): uuids.remove(bits)
        case .text(let text): texts.remove(text)
        }
    }
}

/// The 128 bits of a UUID.
struct UUIDBits: Hashable, Sendable {
    var high: UInt64
    var low: UInt64
}

/// An event id as a set key: the 16 bytes of a UUID written in its canonical text (every id
/// the services produce), any other text kept as is. Sixteen bytes instead of a heap string
/// per id keeps a mirror of millions of ids small.
enum EventKey: Hashable, Sendable {
    case uuid(UUIDBits)
    case text(String)

    init(_ id: String) {
        self = Self.parseUUID(id).map { .uuid(UUIDBits(high: $0.0, low: $0.1)) } ?? .text(id)
    }

    /// The two halves of a lower-case canonical UUID (8-4-4-4-12 hex digits); nil otherwise, so
    /// that "ABC..." and "abc..." stay different ids, as they are in the table.
    private static func parseUUID(_ text: String) -> (UInt64, UInt64)? {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { bytes -> (UInt64, UInt64)? in
            guard bytes.count == 36 else { return nil }
            var high: UInt64 = 0, low: UInt64 = 0, digits = 0
            for (index, byte) in bytes.enumerated() {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                    continue
                }
                let value: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
                default: return nil
                }
                if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
                digits += 1
            }
            return (high, low)
        } ?? nil
    }
}
