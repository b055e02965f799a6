import Contract
@testable import ecoctl
import EcoTestKit
import Foundation
import Kafka
import Testing

/// The chaos audit must be able to fail: a business fact under two ids and a re-published copy
/// with different bytes are each caught.
@Suite("Chaos audit")
struct ChaosAuditTests {
    let codec = EventCodec()

    func observed<P: EventPayload>(_ payload: P, id: UUID, at offset: Int64, occurredAt: Int64 = 1_000) -> ObservedRecord {
        let envelope = Envelope(header: EnvelopeHeader(id: id, type: P.eventType, version: 1,
                                                       occurredAt: Timestamp(millisecondsSinceEpoch: occurredAt), source: "matching"),
                                data: payload)
        let bytes = codec.encode(envelope)
        return ObservedRecord(record: ConsumerRecord(topic: "matching.events", partition: 0, offset: offset, key: nil, value: bytes),
                              envelope: IncomingEnvelope(header: envelope.header, payload: payload), deadLetter: nil)
    }

    var trade: TradeExecuted {
        TradeExecuted(tradeId: "T-1", instrument: .cea, method: .listed, price: 5_000, quantity: 100, buyOrderId: "B",
                      sellOrderId: "S", buyerAccountId: "I1", sellerAccountId: "P1",
                      executedAt: Timestamp(millisecondsSinceEpoch: 1_000))
    }

    @Test func aCleanStreamWithAnIdenticalRepublishedCopyPasses() {
        let id = UUID()
        var audit = ChaosAudit()
        audit.checkCopies([observed(trade, id: id, at: 0), observed(trade, id: id, at: 1)])
        audit.checkBusinessFacts([observed(trade, id: id, at: 0), observed(trade, id: id, at: 1)])
        #expect(audit.report.passed)
        #expect(audit.republished == 1)
        #expect(audit.duplicatedEffects == 0)
    }

    @Test func oneTradeUnderTwoIdsIsADuplicatedEffect() {
        var audit = ChaosAudit()
        audit.checkBusinessFacts([observed(trade, id: UUID(), at: 0), observed(trade, id: UUID(), at: 1)])
        #expect(!audit.report.passed)
        #expect(audit.duplicatedEffects == 1)
    }

    @Test func aCopyWithDifferentBytesUnderTheSameIdIsCaught() {
        let id = UUID()
        var audit = ChaosAudit()
        audit.checkCopies([observed(trade, id: id, at: 0, occurredAt: 1_000), observed(trade, id: id, at: 1, occurredAt: 2_000)])
        #expect(!audit.report.passed)
    }

    @Test func eventsWithoutABusinessKeyAreTheSameFactOnlyWithTheSameCauseAndPayload() {
        let cause = UUID()
        func released(_ amount: Int64, cause: UUID, occurredAt: Int64) -> IncomingEnvelope {
            IncomingEnvelope(header: EnvelopeHeader(id: UUID(), type: FundsReleased.eventType, version: 1,
                                                    occurredAt: Timestamp(millisecondsSinceEpoch: occurredAt), source: "settlement",
                                                    causationId: cause),
                             payload: FundsReleased(orderId: "B", accountId: "I1", amount: amount))
        }
        #expect(ChaosAudit.factKey(released(5, cause: cause, occurredAt: 1)) == ChaosAudit.factKey(released(5, cause: cause, occurredAt: 9)))
        #expect(ChaosAudit.factKey(released(5, cause: cause, occurredAt: 1)) != ChaosAudit.factKey(released(6, cause: cause, occurredAt: 1)))
        #expect(ChaosAudit.factKey(released(5, cause: cause, occurredAt: 1)) != ChaosAudit.factKey(released(5, cause: UUID(), occurredAt: 1)))
    }
}
