import Foundation
import Testing
@testable import MatchingDomain

/// The hand-written snapshot JSON must be the same JSON value `JSONEncoder` writes for the engine
/// (so either can be read by `JSONDecoder`), for every shape the state takes.
@Suite struct SnapshotJSONTests {
    func fastJSON(_ engine: MatchingEngine) throws -> Data {
        var writer = SnapshotJSONWriter()
        try engine.writeSnapshotJSON(into: &writer)
        return Data(writer.bytes)
    }

    /// Both encodings parsed into Foundation's JSON tree: equal means the same keys, nesting and
    /// values (dictionary order aside).
    func expectSameJSONValue(_ engine: MatchingEngine) throws {
        let fast = try fastJSON(engine)
        let reference = try JSONEncoder().encode(engine)
        let fastTree = try #require(try JSONSerialization.jsonObject(with: fast) as? NSDictionary)
        let referenceTree = try #require(try JSONSerialization.jsonObject(with: reference) as? NSDictionary)
        #expect(fastTree == referenceTree)
        let decoded = try JSONDecoder().decode(MatchingEngine.self, from: fast)
        #expect(decoded == engine)
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomTradingRunsEncodeAsJSONEncoderDoes(seed: UInt64) throws {
        // Snapshot mid-run (orders waiting for holds, resting, early holds) and at the end.
        let run = RandomSession(seed: seed, steps: 3_000, snapshotAt: 1_499)
        let midRun = try JSONDecoder().decode(MatchingEngine.self, from: try #require(run.snapshot))
        try expectSameJSONValue(midRun)
        try expectSameJSONValue(run.engine)
    }

    @Test func blockQuotesAuctionsAndClosedSessionsEncodeAsJSONEncoderDoes() throws {
        var market = Market()
        try expectSameJSONValue(MatchingEngine())
        try expectSameJSONValue(market.engine)
        market.order("q1", .sell, 200_000, at: 4_000, account: "S", method: .block, counterparty: "B")
        market.order("rest", .buy, 10, at: 4_900)
        _ = market.submit("waiting", .sell, 5, at: 5_100)
        market.order("sale", .sell, 1_000, at: 4_000, account: "GOV", method: .auction)
        market.order("bid", .buy, 500, at: 4_200, method: .auction)
        try expectSameJSONValue(market.engine)
        _ = market.close()
        try expectSameJSONValue(market.engine)
    }

    @Test func stringsNeedingEscapesSurviveTheRoundTrip() throws {
        var market = Market()
        let awkward = ["quote\"d", "back\\slash", "line\nbreak\ttab\r", "bell\u{07}", "碳排放配额", "emoji 🌍", "/slash/"]
        for (n, id) in awkward.enumerated() {
            market.order(id, n % 2 == 0 ? .buy : .sell, 1, at: n % 2 == 0 ? 4_800 : 5_200, account: "acct \(id)")
        }
        try expectSameJSONValue(market.engine)
    }

    /// The writer names every stored property by hand; a property added later would be left out
    /// of snapshots without any JSON test noticing while it is nil. This fails first instead.
    @Test func theWriterKnowsEveryStoredProperty() throws {
        func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        var market = Market()
        market.order("rest", .buy, 10, at: 4_900)
        let engine = market.engine
        let instrument = try #require(engine.instruments.first)
        let order = try #require(instrument.orders.first)
        let hint = "a stored property changed: teach MatchingEngine+SnapshotJSON.swift about it"
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

    @Test func integersAtTheirLimitsAreWrittenExactly() throws {
        var writer = SnapshotJSONWriter()
        writer.beginArray()
        writer.int(Int64.min)
        writer.int(Int64.max)
        writer.int(UInt64.max)
        writer.int(Int32.min)
        writer.int(0)
        writer.int(-7)
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == "[-9223372036854775808,9223372036854775807,18446744073709551615,-2147483648,0,-7]")
    }
}
