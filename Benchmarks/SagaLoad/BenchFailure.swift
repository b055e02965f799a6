/// A reason to stop the benchmark, printed as it is (one `saga-bench: ...` line on stderr, exit
/// status 1) as the Python generator's `sys.exit(message)` did: saga-bench.sh runs under
/// `set -e` and a human reads the line.
struct BenchFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
