import Contract
import Foundation

/// The decoding of the order saga's records, in process: what every service pays for each
/// record it consumes before its handler sees it (`EventDecoder.decode`: the envelope, the
/// payload, its validation), per type, without a broker or SQLite.
enum DecodeBench {
    /// One record of each type the saga's services read, as their producers encode them, with
    /// ids and a causation like the services' own events.
    static func sagaRecords() -> [(name: String, bytes: Data)] {
        let codec = EventCodec()
        let cause = UUID()
        func event<P: EventPayload>(_ payload: P, source: String) -> Data {
            let header = EnvelopeHeader(id: UUID(), type: P.eventType, version: P.currentVersion, occurredAt: .now(),
                                        source: source, correlationId: "order-b-000123", causationId: cause)
            return codec.encode(Envelope(header: header, data: payload))
        }
        let day = CivilDate(year: 2026, month: 12, day: 6)
        return [
            ("SubmitOrder", codec.encode(Envelope(command: SubmitOrder(orderId: "b-000123", accountId: "INV-0007",
                                                                      instrument: .cea, side: .buy, method: .listed,
                                                                      quantity: 10, price: 5_000),
                                                  source: "saga-load", correlationId: "order-b-000123"))),
            ("FundsReserved", event(FundsReserved(orderId: "b-000123", accountId: "INV-0007", amount: 50_025), source: "settlement")),
            ("AllowancesFrozen", event(AllowancesFrozen(orderId: "s-000123", accountId: "PLANT-0003", instrument: .cea, quantity: 10),
                                       source: "registry")),
            ("OrderAccepted", event(OrderAccepted(orderId: "b-000123", accountId: "INV-0007", instrument: .cea, side: .buy,
                                                  method: .listed, quantity: 10, price: 5_000), source: "matching")),
            ("TradeExecuted", event(TradeExecuted(tradeId: "T-CEA-2026-12-06-000123", instrument: .cea, method: .listed, price: 5_000,
                                                  quantity: 10, buyOrderId: "b-000123", sellOrderId: "s-000123",
                                                  buyerAccountId: "INV-0007", sellerAccountId: "PLANT-0003", executedAt: .now(),
                                                  tradingDay: day), source: "matching")),
            ("AllowancesTransferred", event(AllowancesTransferred(tradeId: "T-CEA-2026-12-06-000123", fromAccountId: "PLANT-0003",
                                                                  toAccountId: "INV-0007", instrument: .cea, quantity: 10),
                                            source: "registry")),
            ("TradeSettled", event(TradeSettled(tradeId: "T-CEA-2026-12-06-000123", buyerAccountId: "INV-0007",
                                                sellerAccountId: "PLANT-0003", value: 50_000, buyerFee: 25, sellerFee: 25,
                                                buyOrderId: "b-000123", sellOrderId: "s-000123"), source: "settlement")),
        ]
    }

    /// Decodes each record `rounds` times (after a warm-up) and prints ns per record and type.
    static func run(rounds: Int) throws {
        let decoder = EventDecoder(catalogue: .all)
        var total = 0.0
        for (name, bytes) in sagaRecords() {
            for _ in 0..<1_000 { _ = try decoder.decode(bytes) }
            let start = ContinuousClock.now
            var kept = 0
            for _ in 0..<rounds { kept &+= try decoder.decode(bytes).header.version }
            let elapsed = (ContinuousClock.now - start).components
            let nanoseconds = (Double(elapsed.seconds) * 1e9 + Double(elapsed.attoseconds) / 1e9) / Double(rounds)
            total += nanoseconds
            precondition(kept == rounds, "every record decodes")
            let label = name.padding(toLength: 22, withPad: " ", startingAt: 0)
            print("decode \(label)" + String(format: " %4d bytes %8.0f ns/record", bytes.count, nanoseconds))
        }
        print(String(format: "decode mean of the saga's types %8.0f ns/record", total / Double(sagaRecords().count)))
    }
}
