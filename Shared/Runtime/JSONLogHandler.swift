import Contract
import Foundation
import Logging
import Synchronization

/// One JSON object per line on standard error: what log shippers in containers expect.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [
            "ts": Timestamp.now().description,
            "level": event.level.rawValue,
            "logger": label,
            "msg": "\(event.message)",
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
            fields[key] = "\(value)"
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(fields) else { return }
        line.append(0x0A)
        JSONLogHandler.output.withLock { _ in Self.writeToStandardError(line) }
    }

    /// Writes with `write(2)` and drops what cannot be written: `FileHandle.write` traps on an
    /// error, and a log on a full disk (or past a file-size limit) must not kill the service
    /// whose job is to report that fault and wait for it to clear.
    private static func writeToStandardError(_ line: Data) {
        line.withUnsafeBytes { raw in
            guard var pointer = raw.baseAddress else { return }
            var remaining = raw.count
            while remaining > 0 {
                let written = write(STDERR_FILENO, pointer, remaining)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }
                pointer += written
                remaining -= written
            }
        }
    }

    private static let output = Mutex<Void>(())
}
