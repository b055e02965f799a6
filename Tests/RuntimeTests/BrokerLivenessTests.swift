@testable import ServiceRuntime
import Testing

@Suite("Broker liveness")
struct BrokerLivenessTests {
    @Test("one missed answer is not a fault; two in a row are; an answer ends it")
    func faultAfterTwoMisses() {
        var liveness = BrokerLiveness()
        var changes: [Bool] = []
        changes.append(liveness.recordSilence())
        #expect(!liveness.faulted)
        changes.append(liveness.recordSilence())
        #expect(liveness.faulted)
        changes.append(liveness.recordSilence())  // a fault starts once, however long the silence
        changes.append(liveness.recordAnswer())
        #expect(!liveness.faulted)
        changes.append(liveness.recordAnswer())  // answers while healthy change nothing
        #expect(changes == [false, true, false, true, false])
    }

    @Test("a miss followed by an answer resets the count")
    func answerResetsMisses() {
        var liveness = BrokerLiveness()
        let changes = [liveness.recordSilence(), liveness.recordAnswer(), liveness.recordSilence()]
        #expect(changes == [false, false, false])
        #expect(!liveness.faulted)
    }
}
