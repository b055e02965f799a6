/// When to probe the broker and when silence becomes a fault: one missed answer can be a
/// garbage-collection pause or a busy broker, two in a row (about three seconds) is a stall.
struct BrokerLiveness {
    static let probeInterval: Duration = .seconds(1)
    static let probeTimeoutMs: Int32 = 1500
    static let missesBeforeFault = 2

    private var lastProbe = ContinuousClock.now
    private var misses = 0
    private(set) var faulted = false

    var isDue: Bool { ContinuousClock.now - lastProbe >= Self.probeInterval }

    /// Records an answer; true when this ends a fault.
    mutating func recordAnswer() -> Bool {
        lastProbe = .now
        misses = 0
        defer { faulted = false }
        return faulted
    }

    /// Records a missed answer; true when this starts a fault.
    mutating func recordSilence() -> Bool {
        lastProbe = .now
        misses += 1
        guard !faulted, misses >= Self.missesBeforeFault else { return false }
        faulted = true
        return true
    }
}
