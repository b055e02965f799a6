import Foundation

/// Finds what the test kit runs: the Tansu broker, the newer librdkafka, and the service
/// executables built next to the running test binary.
public enum ToolLocator {
    /// The repository root: `ECO_ROOT`, else the nearest parent of the working directory or of
    /// this process's executable that holds `Package.swift`.
    public static var root: URL {
        if let root = ProcessInfo.processInfo.environment["ECO_ROOT"] { return URL(fileURLWithPath: root) }
        for start in [FileManager.default.currentDirectoryPath, executableDirectory.path] {
            var url = URL(fileURLWithPath: start)
            while url.path != "/" {
                if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
                url.deleteLastPathComponent()
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// The Tansu binary: `ECO_TANSU`, else `.tools/bin/tansu` (installed by deploy/local/tools.sh).
    public static func tansu() throws -> URL {
        let path = ProcessInfo.processInfo.environment["ECO_TANSU"] ?? root.appendingPathComponent(".tools/bin/tansu").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestKitError("no Tansu broker at \(path): run deploy/local/tools.sh (or ./eco test) first")
        }
        return URL(fileURLWithPath: path)
    }

    /// Directory of the running binary (the test bundle's runner sits beside the executables).
    public static var executableDirectory: URL {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: path).deletingLastPathComponent()
    }

    /// A service executable by product name: `ECO_BIN_DIR/name`, else beside the test binary.
    public static func executable(_ name: String) throws -> URL {
        let directory = ProcessInfo.processInfo.environment["ECO_BIN_DIR"].map { URL(fileURLWithPath: $0) } ?? executableDirectory
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestKitError("no executable \(name) in \(directory.path): build it first (swift build)")
        }
        return url
    }

    /// The library path a child process needs to load librdkafka 2.16 (`.tools/lib`).
    public static var libraryPath: String {
        let tools = root.appendingPathComponent(".tools/lib").path
        let current = ProcessInfo.processInfo.environment["LD_LIBRARY_PATH"] ?? ""
        return current.contains(tools) ? current : ([tools] + (current.isEmpty ? [] : [current])).joined(separator: ":")
    }
}

/// A failure of the test kit itself (a missing tool, a timeout), with what to do about it.
public struct TestKitError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
