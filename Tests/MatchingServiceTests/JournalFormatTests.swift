import Foundation
import MatchingDomain
@testable import MatchingService
import Testing

/// The journal's JSON is a stated format (flat objects with the contract's field names), and
/// the hand-written fast path for orders, holds and cancels reads back exactly like the rest.
@Suite("Journal format")
struct JournalFormatTests {
    static let inputs: [MatchingInput] = [
        .submit(OrderRequest(orderID: "o-1", account: "acct-1", instrument: "CEA", side: .buy, method: .listed,
                             quantity: 100, price: 5_000)),
        .submit(OrderRequest(orderID: "o-2", account: "acct-2", instrument: "CEA", side: .sell, method: .block,
                             quantity: 100_000, price: 5_100, counterparty: "acct-1")),
        .submit(OrderRequest(orderID: "odd\"id\\", account: "a\u{1}", instrument: "CEA", side: .sell, method: .auction,
                             quantity: 1, price: 0)),
        .cancel(orderID: "o-1", account: "acct-1", instrument: "CEA"),
        .holdPlaced(orderID: "o-1"),
        .holdRefused(orderID: "o-3", code: "insufficient-funds", reason: "balance \"10\" fen\nonly"),
        .openSession(instrument: "CEA", tradingDay: "2026-07-16", referencePrice: 5_000, methods: [.listed, .auction]),
        .openSession(instrument: "CCER", tradingDay: "2026-07-16", referencePrice: nil, methods: []),
        .setMethods(instrument: "CEA", methods: .all),
        .closeSession(instrument: "CEA", tradingDay: "2026-07-16", referencePrice: nil),
        .closeSession(instrument: "CEA", tradingDay: "2026-07-17", referencePrice: 6_100),
        .closeAuction(instrument: "CEA"),
    ]

    @Test(arguments: inputs)
    func everyInputReadsBackAsItself(_ input: MatchingInput) throws {
        let text = try input.journalText()
        #expect(try JSONDecoder().decode(MatchingInput.self, from: Data(text.utf8)) == input, "\(text)")
        let synthesized = try JSONEncoder().encode(input)
        #expect(try JSONDecoder().decode(MatchingInput.self, from: synthesized) == input)
    }

    @Test func anOrderIsOneFlatObjectWithTheContractsNames() throws {
        #expect(try Self.inputs[0].journalText()
            == #"{"type":"submit","orderId":"o-1","accountId":"acct-1","instrument":"CEA","side":"buy","method":"listed","quantity":100,"price":5000}"#)
        #expect(try Self.inputs[4].journalText() == #"{"type":"hold-placed","orderId":"o-1"}"#)
    }

    @Test func anUnknownTypeDoesNotDecode() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(MatchingInput.self, from: Data(#"{"type":"teleport"}"#.utf8))
        }
    }
}
