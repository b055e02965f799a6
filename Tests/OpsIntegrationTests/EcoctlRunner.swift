import EcoTestKit
import Foundation

/// Runs the real `ecoctl` executable and captures what it prints.
struct EcoctlRun: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var output: String { stdout + stderr }
}

func ecoctl(_ arguments: [String], brokers: String? = nil, environment extra: [String: String] = [:],
            timeout: TimeInterval = 60) async throws -> EcoctlRun {
    let executable = try ToolLocator.executable("ecoctl")
    return try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result {
                let process = Process()
                process.executableURL = executable
                process.arguments = arguments
                var environment = ProcessInfo.processInfo.environment
                environment["LD_LIBRARY_PATH"] = ToolLocator.libraryPath
                if let brokers { environment["ECO_BROKERS"] = brokers }
                environment.merge(extra) { _, given in given }
                process.environment = environment
                let out = Pipe(), err = Pipe()
                process.standardOutput = out
                process.standardError = err
                try process.run()
                let killer = DispatchWorkItem { process.terminate() }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
                let stdout = out.fileHandleForReading.readDataToEndOfFile()
                let stderr = err.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                killer.cancel()
                return EcoctlRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                 stderr: String(decoding: stderr, as: UTF8.self))
            })
        }
    }
}
