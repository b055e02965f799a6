import EcoTestKit
import Foundation
import Testing

/// The short form of the chaos run that CI runs on every change: the real `ecoctl chaos` with
/// its own broker and the four service executables, killed and stalled and fed hostile records, must end with every
/// invariant holding. (`RELIABILITY.md` records the full-size runs.)
@Suite("ecoctl chaos", .serialized)
struct ChaosTests {
    struct Result: Decodable {
        var passed: Bool
        var orders: Int
        var trades: Int
        var kills: Int
        var killsSurvived: Int
        var stallSeconds: Double
        var lost: Int
        var duplicatedEffects: Int
        var badRecords: Int
        var badRecordsUnanswered: Int
        var checks: [String]
    }

    @Test func killsAndABrokerStallLoseAndDuplicateNothing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eco-chaos-\(UUID().uuidString.prefix(8))")
        // The services' logs and SQLite files stay for diagnosis unless the run passed.
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let json = directory.appendingPathComponent("result.json")
        let run = try await ecoctl(["chaos", "--orders", "1500", "--accounts", "40", "--kills", "8", "--stall", "8",
                                    "--rate", "60", "--bad-records", "2000", "--seed", "7", "--wait-seconds", "150",
                                    "--workdir", directory.path, "--json", json.path], timeout: 600)
        #expect(run.status == 0, "\(run.output)\nlogs and stores kept in \(directory.path)")
        let result = try JSONDecoder().decode(Result.self, from: Data(contentsOf: json))
        passed = run.status == 0 && result.passed
        #expect(result.passed)
        #expect(result.orders == 1500)
        #expect(result.trades > 100, "the flow crosses: most orders trade")
        #expect(result.kills == 8 && result.killsSurvived == 8)
        #expect(result.stallSeconds == 8)
        #expect(result.lost == 0)
        #expect(result.duplicatedEffects == 0)
        #expect(result.badRecords >= 2000 && result.badRecordsUnanswered == 0)
        #expect(result.checks.allSatisfy { $0.hasPrefix("ok") }, "\(result.checks)")
        #expect(result.checks.contains { $0.contains("every service reported not ready") })
        #expect(run.stdout.contains("reconciliation passed"), "ecoctl reconcile ran and passed")
    }

    /// A run stopped from outside (a test's timeout sends SIGTERM) takes the broker and the
    /// services it started with it: one such run once left its broker behind, burning CPU.
    @Test func aTerminatedRunLeavesNoBrokerOrServiceBehind() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eco-chaos-term-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await ecoctl(["chaos", "--orders", "20000", "--accounts", "10", "--kills", "8", "--stall", "0",
                                    "--rate", "100", "--bad-records", "0", "--workdir", directory.path], timeout: 15)
        #expect(run.status == SIGTERM, "terminated by the timeout\n\(run.output)")
        let ports = Set(run.output.matches(of: /127\.0\.0\.1:(\d+)/).compactMap { Int($0.1) })
        #expect(ports.count >= 5, "a broker and four admin ports were announced\n\(run.output)")
        try await Task.sleep(for: .seconds(1))
        for port in ports.sorted() {
            #expect(!isListening(port: port), "port \(port) still answers after ecoctl was terminated")
        }
    }
}
