@testable import ServiceRuntime
import Testing

@Suite("Broker liveness")
struct BrokerLivenessTests {
    @Test("one missed answer is not a fault; two in a row are; an answer ends it")
    func faultAfterTwoMisses() {
        var liveness = BrokerLiveness()
        #expect(!liveness.recordSilence())
        #expect(!liveness.faulted)
        #expect(liveness.recordSilence())
        #expect(liveness.faulted)
        #expect(!liveness.recordSilence(), "a fault starts once, however long the silence")
        #expect(liveness.recordAnswer())
        #expect(!liveness.faulted)
        #expect(!liveness.recordAnswer(), "answers while healthy change nothing")
    }

    @Test("a miss followed by an answer resets the count")
    func answerResetsMisses() {
        var liveness = BrokerLiveness()
        #expect(!liveness.recordSilence())
        #expect(!liveness.recordAnswer())
        #expect(!liveness.recordSilence())
        #expect(!liveness.faulted)
    }
}
