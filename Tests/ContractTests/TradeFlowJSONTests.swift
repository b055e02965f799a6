@testable import Contract
import Foundation
import Testing

/// The payloads written directly (`writeCanonicalJSON`) against Foundation's canonical bytes:
/// random strings that need every kind of escape, integers at their limits, optional members
/// present and absent, under every header shape.
@Suite("Trade-flow payloads written directly")
struct TradeFlowJSONTests {
    let codec = EventCodec()

    static func randomPayloads(_ random: inout TestRandom) -> [any EventPayload] {
        func text() -> String { Fuzzed.randomString(&random) }
        func integer() -> Int64 {
            switch random.next() % 4 {
            case 0: return [Int64.min, Int64.max, 0, -1, 1][Int(random.next() % 5)]
            case 1: return Int64(bitPattern: random.next())
            default: return Int64(random.next() % 100_000)
            }
        }
        let instrument = Instrument(rawValue: random.next() % 3 == 0 ? text() : "CEA")
        let side: Side = random.next() % 2 == 0 ? .buy : .sell
        let method = [TradingMethod.listed, .block, .auction][Int(random.next() % 3)]
        let day: CivilDate? = random.next() % 2 == 0 ? nil : CivilDate(year: 2026, month: 12, day: Int64(1 + random.next() % 28))
        let at = Timestamp(millisecondsSinceEpoch: Int64(random.next() % 4_102_444_800_000))
        return [
            OrderAccepted(orderId: text(), accountId: text(), instrument: instrument, side: side, method: method,
                          quantity: integer(), price: integer()),
            TradeExecuted(tradeId: text(), instrument: instrument, method: method, price: integer(), quantity: integer(),
                          buyOrderId: text(), sellOrderId: text(), buyerAccountId: text(), sellerAccountId: text(),
                          executedAt: at, tradingDay: day),
            AllowancesFrozen(orderId: text(), accountId: text(), instrument: instrument, quantity: integer()),
            AllowancesTransferred(tradeId: text(), fromAccountId: text(), toAccountId: text(), instrument: instrument,
                                  quantity: integer()),
            FundsReserved(orderId: text(), accountId: text(), amount: integer()),
            TradeSettled(tradeId: text(), buyerAccountId: text(), sellerAccountId: text(), value: integer(),
                         buyerFee: integer(), sellerFee: integer(),
                         buyOrderId: random.next() % 2 == 0 ? nil : text(), sellOrderId: random.next() % 2 == 0 ? nil : text()),
        ]
    }

    @Test func randomPayloadsEncodeToFoundationsBytes() throws {
        var random = TestRandom(seed: 0x7EADE)
        var written = 0
        for _ in 0..<500 {
            for payload in Self.randomPayloads(&random) {
                var direct: [UInt8] = []
                #expect(payload.writeCanonicalJSON(to: &direct))
                written += 1
                for header in CanonicalCodecTests.headers(for: payload) {
                    let fast = try #require(CanonicalJSON.encodeEnvelope(header: header, payload: payload))
                    let reference = codec.foundationEncode(header: header, payload: payload)
                    #expect(Data(fast) == reference, "\(String(decoding: reference, as: UTF8.self))")
                }
            }
        }
        #expect(written == 3_000)
    }

    @Test func otherPayloadsStayWithTheGenericEncoder() {
        var out: [UInt8] = []
        for sample in Sample.all where !(sample.payload is OrderAccepted || sample.payload is TradeExecuted
            || sample.payload is AllowancesFrozen || sample.payload is AllowancesTransferred
            || sample.payload is FundsReserved || sample.payload is TradeSettled) {
            #expect(!sample.payload.writeCanonicalJSON(to: &out))
        }
        #expect(out.isEmpty)
    }
}
