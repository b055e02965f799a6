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
        let process = Process()
        process.executableURL = try ToolLocator.executable("matching")
        // No broker at this address: a setting that passed would make the service try to connect.
        process.arguments = ["--brokers", "127.0.0.1:1", "--db", ":memory:", "--admin-port", "0"] + arguments
        var variables = ProcessInfo.processInfo.environment
        variables["LD_LIBRARY_PATH"] = ToolLocator.libraryPath
        variables.merge(environment) { _, new in new }
        process.environment = variables
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains(message))
        #expect(!text.contains("Fatal error"))
    }
}
