import Contract
import EcoTestKit
import Foundation
import Testing

/// Station readings over the broker, and the offline `air-alert index` command as a process.
@Suite("Air readings and tools", .serialized)
struct ReadingsAndToolTests {
    @Test func malformedAndUnstorableReadingsGoToTheDeadLetterTopicWithAReason() async throws {
        let fixture = try await AirAlertFixture()
        defer { fixture.stop() }
        // Records get the broker's clock as their arrival time, so readings are stamped from now.
        let now = Timestamp.now()
        let hour = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch / 3_600_000 * 3_600_000)
        try await fixture.writer.sendRaw(Data("{\"district\": \"wuhou\"".utf8), key: "wuhou", to: .airObservations)
        try await fixture.writer.send(AirQualityObserved(district: "wuhou", stationId: "S-bad", observedAt: hour,
                                                         o3OneHour: -3, o3EightHour: 90), to: .airObservations)
        let stale = hour.adding(milliseconds: -10 * 86_400_000)
        try await fixture.writer.send(AirQualityObserved(district: "wuhou", stationId: "S-old", observedAt: stale,
                                                         o3OneHour: 100, o3EightHour: 90), to: .airObservations)
        let good = AirQualityObserved(district: "wuhou", stationId: "S-1", observedAt: hour, o3OneHour: 180, o3EightHour: 220)
        try await fixture.writer.send(good, to: .airObservations)
        try await fixture.writer.send(good, to: .airObservations) // the same station hour again: dropped

        let malformed = try await fixture.deadLetters.awaitDeadLetter { $0.code == "malformed-json" }
        #expect(malformed.value == "{\"district\": \"wuhou\"")
        let invalid = try await fixture.deadLetters.awaitDeadLetter { $0.code == "invalid-field" }
        #expect(invalid.reason.contains("o3OneHour"))
        let old = try await fixture.deadLetters.awaitDeadLetter { $0.code == "stale-reading" }
        #expect(old.reason.contains("de-duplication window"))
        #expect([malformed, invalid, old].allSatisfy { $0.topic == "air.observations" && $0.consumer == "air-alert" })

        let station = try await fixture.awaitAdmin("/observations/S-1") { $0["duplicates"] as? Int == 1 }
        #expect(station["readings"] as? Int == 1)
        #expect((station["current"] as? [String: Any])?["o3Index"] as? Int == 155)
        #expect((station["latest"] as? [Any])?.count == 1)
        #expect(fixture.service.isRunning)
    }

    @Test func theIndexCommandPrintsTheReportWithoutABroker() throws {
        let (status, output, _) = try run(["index", "--o3-1h", "180", "--o3-8h", "220"])
        #expect(status == 0)
        #expect(output.contains("standard   HJ 633-2012"))
        #expect(output.contains("O3 1-hour  180 ug/m3 -> IAQI 75"))
        #expect(output.contains("O3 8-hour  220 ug/m3 -> IAQI 155"))
        #expect(output.contains("AQI        155, level 4 moderate"))
        let (status2026, output2026, _) = try run(["index", "--o3-1h", "180", "--o3-8h", "900", "--standard", "hj633-2026"])
        #expect(status2026 == 0)
        #expect(output2026.contains("O3 8-hour  900 ug/m3 -> IAQI 300"))
    }

    @Test(arguments: [
        (["index", "--o3-1h", "-5", "--o3-8h", "100"], "not a finite, non-negative concentration"),
        (["index", "--o3-1h", "abc", "--o3-8h", "100"], "'abc' is invalid"),
        (["index", "--o3-8h", "100"], "Missing expected argument '--o3-1h"),
        (["index", "--o3-1h", "1", "--o3-8h", "1", "--standard", "hj633-1999"], "no AQI standard 'hj633-1999'"),
        (["--observation-retention-days", "7"], "must be at least the de-duplication window (7 days) + 30, 37 days"),
        (["--observation-retention-days", "a year"], "'a year' is invalid"),
    ])
    func badArgumentsGiveAClearMessageAndANonZeroExit(arguments: [String], message: String) throws {
        let (status, output, errors) = try run(arguments)
        #expect(status != 0)
        #expect(output.isEmpty)
        #expect(errors.contains("Error: "))
        #expect(errors.contains(message))
        #expect(!errors.contains("Fatal error") && !errors.contains("Stack dump"))
    }

    /// Runs the built `air-alert` executable; returns its exit status, stdout and stderr.
    private func run(_ arguments: [String]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = try ToolLocator.executable("air-alert")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = ToolLocator.libraryPath
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
