import Foundation

/// A service executable run as a real process against a test broker, with its own temporary
/// SQLite file and admin port. It can be killed (SIGKILL for crash tests) and restarted on the
/// same file.
public final class ServiceProcess: @unchecked Sendable {
    public let name: String
    public let brokers: String
    public let dbPath: String
    public let adminPort: Int
    public let logURL: URL
    public var extraArguments: [String]
    private var process: Process?
    private let lock = NSLock()

    public init(_ name: String, brokers: String, directory: URL? = nil, extraArguments: [String] = []) throws {
        self.name = name
        self.brokers = brokers
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("eco-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.dbPath = directory.appendingPathComponent("\(name).sqlite").path
        self.logURL = directory.appendingPathComponent("\(name).log")
        self.adminPort = try freeLoopbackPort()
        self.extraArguments = extraArguments
    }

    /// Starts the executable (appending to its log).
    public func start() throws {
        let process = Process()
        process.executableURL = try ToolLocator.executable(name)
        process.arguments = ["--brokers", brokers, "--db", dbPath, "--admin-port", String(adminPort)] + extraArguments
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = ToolLocator.libraryPath
        process.environment = environment
        if !FileManager.default.fileExists(atPath: logURL.path) { _ = FileManager.default.createFile(atPath: logURL.path, contents: nil) }
        let log = try FileHandle(forWritingTo: logURL)
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        ChildProcesses.track(process.processIdentifier)
        lock.withLock { self.process = process }
    }

    public var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }
    public var pid: Int32? { lock.withLock { process?.processIdentifier } }

    /// Sends `signal` and waits for the process to exit. SIGKILL simulates a crash.
    public func stop(signal: Int32 = SIGTERM) {
        guard let process = lock.withLock({ self.process }), process.isRunning else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        ChildProcesses.untrack(process.processIdentifier)
    }

    public func kill9() { stop(signal: SIGKILL) }

    public var exitStatus: Int32? {
        guard let process = lock.withLock({ self.process }), !process.isRunning else { return nil }
        return process.terminationStatus
    }

    /// Waits until `/readyz` answers 200 (assigned and caught up).
    public func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !isRunning { throw TestKitError("\(name) exited (status \(exitStatus ?? -1)); log: \(logURL.path)\n\(logTail())") }
            if let (status, _) = try? await AdminClient.get(port: adminPort, path: "/readyz"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestKitError("\(name) not ready after \(timeout); log: \(logURL.path)\n\(logTail())")
    }

    /// `/status` decoded as `T` (a test's own view of the fields it reads).
    public func status<T: Decodable>(_: T.Type) async throws -> T {
        let (code, body) = try await admin("/status")
        guard code == 200 else { throw TestKitError("\(name) /status answered \(code)") }
        return try JSONDecoder().decode(T.self, from: body)
    }

    /// GET on the admin port: status code and body.
    public func admin(_ path: String) async throws -> (status: Int, body: Data) {
        try await AdminClient.get(port: adminPort, path: path)
    }

    /// The last lines of the service's log, for failure messages.
    public func logTail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOf: logURL, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    deinit { stop(signal: SIGKILL) }
}
