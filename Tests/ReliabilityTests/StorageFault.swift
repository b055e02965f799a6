import EcoTestKit
import Foundation

/// A real storage fault under a service's SQLite file: a small tmpfs that a filler file fills
/// (a full disk, `SQLITE_FULL`). Mounting needs CAP_SYS_ADMIN; `make` says why it could not
/// when it cannot, so the test fails with that reason instead of passing without a fault.
final class FullDiskFault: @unchecked Sendable {
    let mountPoint: URL
    private var filler: URL { mountPoint.appendingPathComponent("filler") }
    private var mounted = true

    private init(mountPoint: URL) { self.mountPoint = mountPoint }

    /// Mounts a `sizeMB` tmpfs on a new temporary directory.
    /// - Throws: `TestKitError` with mount's own message when it is not permitted here.
    static func make(sizeMB: Int) throws -> FullDiskFault {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eco-fulldisk-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (status, output) = run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(sizeMB)m", "tmpfs", directory.path])
        guard status == 0 else {
            try? FileManager.default.removeItem(at: directory)
            throw TestKitError("cannot mount a tmpfs to fill (needs root with CAP_SYS_ADMIN): \(output)")
        }
        return FullDiskFault(mountPoint: directory)
    }

    /// Fills the file system to the last byte.
    func fill() {
        _ = Self.run("/bin/dd", ["if=/dev/zero", "of=\(filler.path)", "bs=64k"])
        // dd stops at the first short block; top up the last few bytes.
        _ = Self.run("/bin/dd", ["if=/dev/zero", "of=\(mountPoint.appendingPathComponent("filler-tail").path)", "bs=1"])
    }

    /// Frees the space again.
    func clear() {
        try? FileManager.default.removeItem(at: filler)
        try? FileManager.default.removeItem(at: mountPoint.appendingPathComponent("filler-tail"))
    }

    /// Free bytes on the file system.
    var freeBytes: Int64 {
        let attributes = try? FileManager.default.attributesOfFileSystem(forPath: mountPoint.path)
        return (attributes?[.systemFreeSize] as? NSNumber)?.int64Value ?? -1
    }

    /// Unmounts (lazily, so a process that still has a file open does not keep it mounted).
    func unmount() {
        guard mounted else { return }
        mounted = false
        _ = Self.run("/bin/umount", ["-l", mountPoint.path])
        try? FileManager.default.removeItem(at: mountPoint)
    }

    deinit { unmount() }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(tool): \(error)") }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
