import Foundation

/// A service executable started with settings it must refuse: what it printed on stderr and
/// how it exited. It runs against a broker address where nothing listens, so a setting that
/// passed would leave it trying to connect; it is stopped after `timeout` then, and the run
/// counts as no refusal (status 0).
public struct StartRefusal: Sendable {
    public var status: Int32
    public var errors: String

    public init(service: String, arguments: [String], environment: [String: String] = [:],
                timeout: TimeInterval = 20) throws {
        let process = Process()
        process.executableURL = try ToolLocator.executable(service)
        process.arguments = ["--brokers", "127.0.0.1:1", "--db", ":memory:", "--admin-port", "0"] + arguments
        var variables = ProcessInfo.processInfo.environment
        variables["LD_LIBRARY_PATH"] = ToolLocator.libraryPath
        variables.merge(environment) { _, new in new }
        process.environment = variables
        let errorPipe = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorPipe
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let refused = !process.isRunning
        if !refused { process.terminate() }
        let text = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        status = refused ? process.terminationStatus : 0
        errors = text
    }
}
