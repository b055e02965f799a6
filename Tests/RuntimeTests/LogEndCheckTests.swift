@testable import ServiceRuntime
import Store
import Testing

/// A broker whose log ends below what a service already applied (restarted without its data)
/// makes the service not ready with the partitions named, instead of skipping new records.
@Suite("Logs behind the store")
struct LogEndCheckTests {
    let a = TopicPartition(topic: "registry.commands", partition: 0)
    let b = TopicPartition(topic: "registry.commands", partition: 1)

    @Test func aLogThatEndsBelowTheStoredOffsetTwiceInARowIsAFault() {
        var check = LogEndCheck()
        check.check(positions: [a: 500, b: 20], logEnds: [a: 3, b: 20])
        #expect(check.fault == nil, "one reading is not enough: a watermark may be stale")
        check.check(positions: [a: 500, b: 20], logEnds: [a: 7, b: 25])
        let fault = check.fault ?? ""
        #expect(fault.contains("registry.commands[0] ends at 7, below the stored offset 500"))
        #expect(!fault.contains("registry.commands[1]"))
    }

    @Test func theFaultClearsOnceTheLogReachesTheStoredOffset() {
        var check = LogEndCheck()
        for _ in 0..<2 { check.check(positions: [a: 500], logEnds: [a: 3]) }
        #expect(check.fault != nil)
        check.check(positions: [a: 500], logEnds: [a: 500])
        #expect(check.fault == nil)
    }

    @Test func unknownLogEndsAndLogsAheadAreNoFault() {
        var check = LogEndCheck()
        for _ in 0..<3 { check.check(positions: [a: 500, b: 0], logEnds: [a: -1, b: 9]) }
        #expect(check.fault == nil)
    }

    @Test func aServiceWithTheFaultIsNotReady() {
        let status = RuntimeStatus(service: "test")
        status.update { $0.assigned = true; $0.caughtUp = true }
        #expect(status.snapshot.ready)
        status.update { $0.offsetFault = "registry.commands[0] ends at 7, below the stored offset 500" }
        #expect(!status.snapshot.ready)
    }
}
