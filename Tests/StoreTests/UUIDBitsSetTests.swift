import Testing
@testable import Store

/// The id mirrors' table against `Set`, the behaviour it replaces.
@Suite struct UUIDBitsSetTests {
    /// Random inserts, removes and lookups, with keys drawn from a small pool so that the same
    /// key comes back often, and with many keys sharing their high or low half.
    @Test(arguments: [1, 2, 3, 4, 5])
    func behavesLikeASetUnderRandomOperations(seed: UInt64) {
        var random = SplitMix(seed: seed)
        let pool = (0..<3_000).map { index -> UUIDBits in
            switch index % 4 {
            case 0: UUIDBits(high: 7, low: random.next())            // same high half
            case 1: UUIDBits(high: random.next(), low: 42)           // same low half
            case 2: UUIDBits(high: UInt64(index), low: UInt64(index)) // small, regular values
            default: UUIDBits(high: random.next(), low: random.next())
            }
        } + [.zero]
        var table = UUIDBitsSet()
        var reference = Set<UUIDBits>()
        for step in 0..<60_000 {
            let key = pool[Int(random.next() % UInt64(pool.count))]
            switch random.next() % 10 {
            case 0..<6:
                let inserted = table.insert(key)
                #expect(inserted == reference.insert(key).inserted, "insert at step \(step)")
            case 6..<9:
                let removed = table.remove(key)
                #expect(removed == (reference.remove(key) != nil), "remove at step \(step)")
            default:
                #expect(table.contains(key) == reference.contains(key), "contains at step \(step)")
            }
            #expect(table.count == reference.count)
        }
        for key in pool { #expect(table.contains(key) == reference.contains(key)) }
    }

    @Test func growsPastItsFirstCapacityAndKeepsEveryKey() {
        var table = UUIDBitsSet()
        let keys = (1...100_000).map { UUIDBits(high: UInt64($0) << 32, low: UInt64($0)) }
        let inserted = keys.map { table.insert($0) }
        #expect(inserted.allSatisfy { $0 })
        #expect(table.count == keys.count)
        #expect(keys.allSatisfy { table.contains($0) })
        #expect(!table.contains(UUIDBits(high: 1, low: 1)))
        let removed = keys.filter { $0.low % 2 == 0 }.map { table.remove($0) }
        #expect(removed.count == keys.count / 2 && removed.allSatisfy { $0 })
        #expect(table.count == keys.count / 2)
        #expect(keys.allSatisfy { table.contains($0) == ($0.low % 2 == 1) })
    }

    @Test func theNilUUIDIsAKeyLikeAnyOther() {
        var table = UUIDBitsSet()
        #expect(!table.contains(.zero))
        let first = table.insert(.zero), second = table.insert(.zero)
        #expect(first && !second)
        #expect(table.count == 1 && table.contains(.zero))
        let removed = table.remove(.zero), again = table.remove(.zero)
        #expect(removed && !again)
        #expect(table.count == 0 && !table.contains(.zero))
    }
}

/// A small deterministic generator, so a failing seed can be replayed.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
