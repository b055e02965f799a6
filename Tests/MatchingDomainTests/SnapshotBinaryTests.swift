import BinaryCoding
import Foundation
import Testing
@testable import MatchingDomain

/// The binary snapshot must give back the engine it was written from, for every shape the state
/// takes, and refuse bytes that are not such a snapshot instead of building a wrong book.
@Suite struct SnapshotBinaryTests {
    func sealed(_ engine: MatchingEngine) throws -> [UInt8] {
        var writer = BinaryWriter()
        try engine.writeSnapshot(into: &writer)
        writer.seal()
        return writer.take()
    }

    func readBack(_ bytes: [UInt8]) throws -> MatchingEngine {
        var reader = try BinaryReader(verifying: bytes)
        let engine = try MatchingEngine.readSnapshot(from: &reader)
        #expect(reader.isAtEnd, "every byte read")
        return engine
    }

    func expectRoundTrip(_ engine: MatchingEngine) throws {
        #expect(try readBack(try sealed(engine)) == engine)
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomTradingRunsComeBackEqual(seed: UInt64) throws {
        // Mid-run (orders waiting for holds, resting, early holds) and at the end.
        let run = RandomSession(seed: seed, steps: 3_000, snapshotAt: 1_499)
        try expectRoundTrip(try JSONDecoder().decode(MatchingEngine.self, from: try #require(run.snapshot)))
        try expectRoundTrip(run.engine)
    }

    @Test func blockQuotesAuctionsAndClosedSessionsComeBackEqual() throws {
        var market = Market()
        try expectRoundTrip(MatchingEngine())
        try expectRoundTrip(market.engine)
        market.order("q1", .sell, 200_000, at: 4_000, account: "S", method: .block, counterparty: "B")
        market.order("rest", .buy, 10, at: 4_900)
        _ = market.submit("waiting", .sell, 5, at: 5_100)
        market.order("sale", .sell, 1_000, at: 4_000, account: "GOV", method: .auction)
        market.order("bid", .buy, 500, at: 4_200, method: .auction)
        try expectRoundTrip(market.engine)
        _ = market.close()
        try expectRoundTrip(market.engine)
    }

    @Test func anyTextInIdsComesBackEqual() throws {
        var market = Market()
        let awkward = ["quote\"d", "back\\slash", "line\nbreak\ttab\r", "bell\u{07}", "碳排放配额", "emoji 🌍", "", "/slash/"]
        for (n, id) in awkward.enumerated() {
            market.order(id, n % 2 == 0 ? .buy : .sell, 1, at: n % 2 == 0 ? 4_800 : 5_200, account: "acct \(id)")
        }
        try expectRoundTrip(market.engine)
    }

    /// Every prefix, and a flipped bit at every tenth byte: the checksum or the layout refuses
    /// each one (a snapshot that fails falls back to the older one, or the journal).
    @Test func damagedBytesAreRefused() throws {
        var market = Market()
        market.order("rest", .buy, 10, at: 4_900)
        market.order("take", .sell, 4, at: 4_900, account: "S")
        let bytes = try sealed(market.engine)
        for length in 0..<bytes.count {
            #expect(throws: BinaryDecodingError.self) { try readBack(Array(bytes[..<length])) }
        }
        for index in stride(from: 0, to: bytes.count, by: 10) {
            var damaged = bytes
            damaged[index] ^= 0x10
            #expect(throws: BinaryDecodingError.self) { try readBack(damaged) }
        }
    }

    /// Without the checksum (read as it is), the layout's own checks refuse every prefix, and a
    /// changed byte anywhere either is refused or reads as some engine: never a trap.
    @Test func theLayoutAloneRefusesTruncationAndNeverTraps() throws {
        var market = Market()
        market.order("rest", .buy, 10, at: 4_900)
        market.order("take", .sell, 4, at: 4_900, account: "S")
        _ = market.submit("waiting", .sell, 5, at: 5_100)
        var writer = BinaryWriter()
        try market.engine.writeSnapshot(into: &writer)
        let body = writer.bytes
        func read(_ bytes: [UInt8]) throws -> MatchingEngine {
            var reader = BinaryReader(bytes: bytes)
            return try MatchingEngine.readSnapshot(from: &reader)
        }
        #expect(try read(body) == market.engine)
        for length in 0..<body.count {
            #expect(throws: BinaryDecodingError.self) { try read(Array(body[..<length])) }
        }
        for index in body.indices {
            for change: UInt8 in [0x01, 0x40, 0x80, 0xFF] {
                var damaged = body
                damaged[index] ^= change
                _ = try? read(damaged)  // refused or read: either way, no trap
            }
        }
    }

    /// An index out of range that got past the checksum (a writer's bug) is refused when read,
    /// not met later as a trap.
    @Test func referencesOutOfRangeAreRefused() throws {
        var market = Market()
        market.order("rest", .buy, 10, at: 4_900)
        let good = market.engine
        var badLocation = good
        badLocation.locations[OrderID("rest")]?.order = OrderRef(99)
        var badIndex = good
        badIndex.instrumentIndex[InstrumentID("CEA")] = 7
        var badNode = good
        badNode.instruments[0].book.nodes[0].next = 1_000
        var badSlot = good
        badSlot.instruments[0].orders[0].slot = BookSlot(rawValue: 50)
        try expectRoundTrip(good)
        for engine in [badLocation, badIndex, badNode, badSlot] {
            #expect(throws: BinaryDecodingError.self) { try readBack(try sealed(engine)) }
        }
    }

    /// The codec names every stored property by hand; a property added later would be left out
    /// of snapshots without a round trip noticing while it keeps its default. This fails first.
    @Test func theCodecKnowsEveryStoredProperty() throws {
        func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        var market = Market()
        market.order("rest", .buy, 10, at: 4_900)
        let engine = market.engine
        let instrument = try #require(engine.instruments.first)
        let order = try #require(instrument.orders.first)
        let hint = "a stored property changed: teach MatchingEngine+SnapshotBinary.swift about it (raise the format and keep reading the old one)"
        #expect(labels(engine) == ["rules", "instruments", "instrumentIndex", "locations", "accounts", "earlyHolds", "fills"], "\(hint)")
        #expect(labels(instrument) == ["id", "session", "previousClose", "book", "orders", "blockQuotes", "auction"], "\(hint)")
        #expect(labels(order) == ["request", "accountRef", "status", "remaining", "slot"], "\(hint)")
        #expect(labels(order.request) == ["orderID", "account", "instrument", "side", "method", "quantity", "price",
                                          "counterparty"], "\(hint)")
        #expect(labels(instrument.book) == ["base", "levels", "occupancy", "bestBidIndex", "bestAskIndex", "nodes", "freeNode",
                                            "restingOrderCount", "lastPrice", "maximumSpan"], "\(hint)")
        #expect(labels(try #require(instrument.book.levels.first)) == ["head", "tail", "count", "quantity"], "\(hint)")
        #expect(labels(try #require(instrument.book.nodes.first)) == ["next", "prev", "order", "account", "price", "remaining"],
                "\(hint)")
        #expect(labels(try #require(engine.locations.values.first)) == ["instrument", "order"], "\(hint)")
    }
}
