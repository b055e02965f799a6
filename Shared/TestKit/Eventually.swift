/// Polls `condition` until it holds, for tests that wait on another process: a failing probe
/// counts as "not yet", and the timeout's error names what never happened and the last failure.
public func eventually(_ what: String, timeout: Duration = .seconds(30), every pause: Duration = .milliseconds(100),
                       _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    var lastError: (any Error)?
    while ContinuousClock.now < deadline {
        do {
            if try await condition() { return }
        } catch {
            lastError = error
        }
        try await Task.sleep(for: pause)
    }
    throw TestKitError("\(what) did not happen within \(timeout)\(lastError.map { "; last error: \($0)" } ?? "")")
}
