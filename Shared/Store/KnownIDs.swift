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
        /// Every id of the table, including those the open transaction added: canonical UUIDs as
        /// their 16 bytes (nearly all ids), anything else as its text.
        var uuids = UUIDBitsSet()
        var texts = Set<String>()
        /// What the open transaction added and removed, to undo or finish when it ends.
        var addedUUIDs: [UUIDBits] = []
        var addedTexts: [String] = []
        var pendingRemovals: [String] = []
    }

    private let state = Mutex(State())

    /// Loads every id of `column` in `table`.
    init(_ db: Database, table: String, column: String) throws {
        var loaded = State()
        let cursor = try String.fetchCursor(db, sql: "SELECT \(column) FROM \(table)")
        while let id = try cursor.next() {
            if let bits = UUIDBits(canonicalText: id) { loaded.uuids.insert(bits) } else { loaded.texts.insert(id) }
        }
        state.withLock { $0 = loaded }
    }

    var count: Int { state.withLock { $0.uuids.count + $0.texts.count } }

    func contains(_ id: String) -> Bool {
        if let bits = UUIDBits(canonicalText: id) { return state.withLock { $0.uuids.contains(bits) } }
        return state.withLock { $0.texts.contains(id) }
    }

    /// Adds `id` as part of the current transaction. False when it is already known.
    ///
    /// On every record's path twice (inbox and outbox), so the UUID case is kept free of
    /// enums, string copies and range checks: it was a tenth of the loop thread's time.
    func insert(_ id: String) -> Bool {
        if let bits = UUIDBits(canonicalText: id) {
            return state.withLock { state in
                guard state.uuids.insert(bits) else { return false }
                state.addedUUIDs.append(bits)
                return true
            }
        }
        return state.withLock { state in
            guard state.texts.insert(id).inserted else { return false }
            state.addedTexts.append(id)
            return true
        }
    }

    /// `insert` of each id in order, under one lock: whether each was new.
    func insert(_ ids: [String]) -> [Bool] {
        let keys = ids.map { UUIDBits(canonicalText: $0) }
        return state.withLock { state in
            zip(ids, keys).map { id, bits in
                if let bits {
                    guard state.uuids.insert(bits) else { return false }
                    state.addedUUIDs.append(bits)
                } else {
                    guard state.texts.insert(id).inserted else { return false }
                    state.addedTexts.append(id)
                }
                return true
            }
        }
    }

    /// Removes ids whose rows the current transaction deleted, once it commits.
    func forget(_ ids: some Sequence<String>) {
        let removed = Array(ids)
        state.withLock { $0.pendingRemovals.append(contentsOf: removed) }
    }

    /// Ends the transaction's ids: kept when it committed, dropped when it did not.
    func settle(committed: Bool) {
        state.withLock { state in
            if committed {
                for id in state.pendingRemovals {
                    if let bits = UUIDBits(canonicalText: id) { state.uuids.remove(bits) } else { state.texts.remove(id) }
                }
            } else {
                for bits in state.addedUUIDs { state.uuids.remove(bits) }
                for text in state.addedTexts { state.texts.remove(text) }
            }
            state.addedUUIDs.removeAll(keepingCapacity: true)
            state.addedTexts.removeAll(keepingCapacity: true)
            state.pendingRemovals = []
        }
    }
}

/// The 128 bits of a UUID written in canonical lower-case text (every id the services
/// produce): 16 bytes in the sets instead of a heap string per id keeps a mirror of millions
/// of ids small.
struct UUIDBits: Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    /// The bits of a lower-case canonical UUID (8-4-4-4-12 hex digits); nil otherwise, so that
    /// "ABC..." and "abc..." stay different ids, as they are in the table.
    init?(canonicalText text: String) {
        var text = text
        guard let parsed = text.utf8.withContiguousStorageIfAvailable(Self.parse) ?? {
            text.makeContiguousUTF8()
            return text.utf8.withContiguousStorageIfAvailable(Self.parse) ?? nil
        }() else { return nil }
        self = parsed
    }

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The nil UUID, which `UUIDBitsSet` keeps outside its slots.
    static let zero = UUIDBits(high: 0, low: 0)

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> UUIDBits? {
        let dash = UInt8(ascii: "-")
        guard bytes.count == 36, let base = bytes.baseAddress,
              base[8] == dash, base[13] == dash, base[18] == dash, base[23] == dash else { return nil }
        var invalid: UInt8 = 0
        @inline(__always)
        func hex(_ range: Range<Int>, into value: inout UInt64) {
            for index in range {
                let digit = hexDigit(base[index])
                invalid |= digit
                value = value << 4 | UInt64(digit & 0x0F)
            }
        }
        var high: UInt64 = 0, low: UInt64 = 0
        hex(0..<8, into: &high)
        hex(9..<13, into: &high)
        hex(14..<18, into: &high)
        hex(19..<23, into: &low)
        hex(24..<36, into: &low)
        return invalid & 0xF0 == 0 ? UUIDBits(high: high, low: low) : nil
    }

    /// The value of a lower-case hex digit, or 0xFF.
    @inline(__always)
    private static func hexDigit(_ byte: UInt8) -> UInt8 {
        let decimal = byte &- UInt8(ascii: "0")
        if decimal < 10 { return decimal }
        let letter = byte &- UInt8(ascii: "a")
        return letter < 6 ? letter + 10 : 0xFF
    }
}
