import EcoTestKit
import Foundation
import Testing

/// The settlement executable refuses a bad snapshot setting with a clear message before it connects
/// to anything.
@Suite("settlement's command line")
struct CommandLineTests {
    @Test(arguments: [
        (["--snapshot-every-entries", "often"], [:], "The value 'often' is invalid for '--snapshot-every-entries"),
        ([], ["ECO_SETTLEMENT_SNAPSHOT_EVERY_ENTRIES": "-1"], "--snapshot-every-entries '-1' must be a whole number from 0 to 1000000000000"),
        (["--snapshot-every-entries", "1000000000001"], [:],
         "--snapshot-every-entries '1000000000001' must be a whole number from 0 to 1000000000000"),
    ] as [([String], [String: String], String)])
    func aBadSnapshotSettingGivesAClearMessageAndANonZeroExit(arguments: [String], environment: [String: String],
                                                             message: String) throws {
        let run = try StartRefusal(service: "settlement", arguments: arguments, environment: environment)
        #expect(run.status != 0)
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(!run.errors.contains("Fatal error"))
    }
}
