/// A set of UUIDs as their 128 bits: the in-memory id mirrors' table.
///
/// Every record probes two of these (inbox and outbox), and with `Set<UUIDBits>` the probe's
/// SipHash (seeding, combining, finalising) and the rehash of a growing set were about a tenth of
/// the service loop's time. Here the table is open addressing with linear probing over one
/// contiguous array, so a probe is a few multiplies and, nearly always, one cache line.
///
/// Event ids of incoming commands are chosen by clients, so the slot of an id is a keyed mix of
/// its bits with a seed drawn at random for each table: ids crafted to share a slot in one
/// process do not in another, and the seed is never exposed.
struct UUIDBitsSet: Sendable {
    /// Slots of `capacity` (a power of two); all-zero bits mark an empty slot.
    private var slots: ContiguousArray<UUIDBits>
    /// The all-zero UUID cannot sit in a slot, so it is kept aside.
    private var holdsZero = false
    private var occupied = 0
    private var mask: Int
    private let seed: UInt64

    init(minimumCapacity: Int = 0) {
        var capacity = 16
        while capacity * Self.maxLoadNumerator < minimumCapacity * Self.maxLoadDenominator { capacity <<= 1 }
        slots = ContiguousArray(repeating: .zero, count: capacity)
        mask = capacity - 1
        var generator = SystemRandomNumberGenerator()
        seed = generator.next()
    }

    /// Slots are added once more than 5/8 of them are taken: linear probing's miss (every new
    /// id is one) then looks at about four slots on average.
    private static let maxLoadNumerator = 5
    private static let maxLoadDenominator = 8

    var count: Int { occupied + (holdsZero ? 1 : 0) }

    func contains(_ key: UUIDBits) -> Bool {
        if key == .zero { return holdsZero }
        return slots.withUnsafeBufferPointer { slots in
            var index = home(of: key)
            while true {
                let slot = slots[index]
                if slot == key { return true }
                if slot == .zero { return false }
                index = (index &+ 1) & mask
            }
        }
    }

    /// Adds `key`; false when it was already there.
    @discardableResult
    mutating func insert(_ key: UUIDBits) -> Bool {
        if key == .zero {
            defer { holdsZero = true }
            return !holdsZero
        }
        if (occupied + 1) * Self.maxLoadDenominator > slots.count * Self.maxLoadNumerator { grow() }
        let start = home(of: key), mask = self.mask
        let inserted = slots.withUnsafeMutableBufferPointer { slots -> Bool in
            var index = start
            while true {
                let slot = slots[index]
                if slot == key { return false }
                if slot == .zero {
                    slots[index] = key
                    return true
                }
                index = (index &+ 1) & mask
            }
        }
        if inserted { occupied += 1 }
        return inserted
    }

    /// Removes `key`; false when it was not there. The slots after it that probed past it are
    /// shifted back, so no tombstones are left and lookups stay short after many removals.
    @discardableResult
    mutating func remove(_ key: UUIDBits) -> Bool {
        if key == .zero {
            defer { holdsZero = false }
            return holdsZero
        }
        let start = home(of: key), mask = self.mask, seed = self.seed
        let removed = slots.withUnsafeMutableBufferPointer { slots -> Bool in
            var hole = start
            while slots[hole] != key {
                if slots[hole] == .zero { return false }
                hole = (hole &+ 1) & mask
            }
            var next = hole
            while true {
                next = (next &+ 1) & mask
                let moving = slots[next]
                if moving == .zero { break }
                let wanted = Self.home(of: moving, seed: seed, mask: mask)
                // `moving` stays when its home lies cyclically in (hole, next].
                let stays = hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next)
                if !stays {
                    slots[hole] = moving
                    hole = next
                }
            }
            slots[hole] = .zero
            return true
        }
        if removed { occupied -= 1 }
        return removed
    }

    private mutating func grow() {
        let old = slots
        slots = ContiguousArray(repeating: .zero, count: old.count * 2)
        mask = slots.count - 1
        let mask = self.mask, seed = self.seed
        slots.withUnsafeMutableBufferPointer { slots in
            for key in old where key != .zero {
                var index = Self.home(of: key, seed: seed, mask: mask)
                while slots[index] != .zero { index = (index &+ 1) & mask }
                slots[index] = key
            }
        }
    }

    @inline(__always)
    private func home(of key: UUIDBits) -> Int { Self.home(of: key, seed: seed, mask: mask) }

    /// A keyed mix of both halves (SplitMix64's finaliser, applied twice).
    @inline(__always)
    private static func home(of key: UUIDBits, seed: UInt64, mask: Int) -> Int {
        var mixed = key.low ^ seed
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed ^= key.high
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        return Int(truncatingIfNeeded: mixed) & mask
    }
}
