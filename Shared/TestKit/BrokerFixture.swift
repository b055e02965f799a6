import Contract
import Foundation
import Kafka

/// A Tansu broker of its own for one test (memory storage, a free loopback port), with the
/// topics of the contract created. Stop it with `stop()`; it also dies with the test process.
public final class BrokerFixture: @unchecked Sendable {
    public let port: Int
    public var brokers: String { "127.0.0.1:\(port)" }
    private let process: Process
    public let logURL: URL

    /// The broker's environment: this process's, with one Tokio worker thread unless
    /// `TOKIO_WORKER_THREADS` says otherwise. On two cores shared with the services, Tansu's
    /// second worker mostly woke the first (futex, `sched_yield`): one thread took a sixth less
    /// CPU per order and brought p99 at 6,000 orders/s from 295-390 ms to 186-199 ms
    /// (BENCHMARKS.md, session 8). deploy/local/broker.sh and the bench scripts do the same.
    static func brokerEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        if environment["TOKIO_WORKER_THREADS"] == nil { environment["TOKIO_WORKER_THREADS"] = "1" }
        return environment
    }

    /// - Parameter port: a port to listen on instead of a free one: a second broker on the port
    ///   of a stopped one looks, to the services, like that broker restarted without its data.
    public init(createTopics: Bool = true, port fixedPort: Int? = nil) throws {
        let tansu = try ToolLocator.tansu()
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try fixedPort ?? freeLoopbackPort()
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("eco-broker-\(port)-\(UUID().uuidString.prefix(8)).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = tansu
            process.arguments = ["broker", "--listener-url", "tcp://127.0.0.1:\(port)",
                                 "--advertised-listener-url", "tcp://127.0.0.1:\(port)", "--storage-engine", "memory://tansu/"]
            process.environment = Self.brokerEnvironment()
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            ChildProcesses.track(process.processIdentifier)
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, process.isRunning, !isListening(port: port) { usleep(20_000) }
            if process.isRunning, isListening(port: port) {
                self.port = port
                self.process = process
                self.logURL = log
                if createTopics { try self.createTopics() }
                return
            }
            process.terminate()
            ChildProcesses.untrack(process.processIdentifier)
            lastError = TestKitError("broker did not listen on \(port); log: \(log.path)")
        }
        throw lastError ?? TestKitError("broker did not start")
    }

    /// Creates every topic of the catalogue (idempotent).
    public func createTopics(_ specs: [TopicSpec] = TopicSpec.catalogue) throws {
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: brokers, clientID: "testkit-admin"))
        try admin.createTopics(specs.map { NewTopic(name: $0.topic.rawValue, partitions: $0.partitions) })
    }

    public var isRunning: Bool { process.isRunning }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Pauses the broker (SIGSTOP) or resumes it (SIGCONT): a stalled broker for fault tests.
    public func pause() { kill(process.processIdentifier, SIGSTOP) }
    public func resume() { kill(process.processIdentifier, SIGCONT) }

    /// Kills the broker. Tansu's SIGTERM waits for every client connection to close, and a test
    /// broker keeps nothing worth a graceful stop (memory storage), so this is SIGKILL.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        ChildProcesses.untrack(process.processIdentifier)
    }

    deinit { stop() }
}
