import EcoTestKit
import Foundation
import Testing

/// The matching executable refuses bad snapshot settings with a clear message before it
/// connects to anything.
@Suite("matching's command line")
struct CommandLineTests {
    @Test(arguments: [
        (["--snapshot-bytes-per-input", "0"], [:], "--snapshot-bytes-per-input '0' must be a whole number, 1 or more"),
        ([], ["ECO_MATCHING_SNAPSHOT_BYTES_PER_INPUT": "lots"], "--snapshot-bytes-per-input 'lots' must be a whole number, 1 or more"),
        ([], ["ECO_MATCHING_SNAPSHOT_EVERY": "-1"], "--snapshot-every '-1' must be a whole number, 0 or more"),
    ] as [([String], [String: String], String)])
    func badSnapshotSettingsGiveAClearMessageAndANonZeroExit(arguments: [String], environment: [String: String],
                                                            message: String) throws {
        let run = try StartRefusal(service: "matching", arguments: arguments, environment: environment)
        #expect(run.status != 0)
        #expect(run.errors.contains(message))
        #expect(!run.errors.contains("Fatal error"))
    }
}
