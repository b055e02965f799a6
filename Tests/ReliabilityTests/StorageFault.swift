import EcoTestKit
import Foundation

/// A real fault under a service's SQLite file, injected into and cleared from the running
/// process.
protocol InjectedStorageFault: AnyObject, Sendable {
    /// Where the service's SQLite file goes.
    var directory: URL { get }
    func inject(into process: ServiceProcess) throws
    func clear(from process: ServiceProcess) throws
    func cleanup()
}

/// A real storage fault under a service's SQLite file: a small tmpfs that a filler file fills
/// (a full disk, `SQLITE_FULL`). Mounting needs CAP_SYS_ADMIN; `make` says why it could not
/// when it cannot, so the test fails with that reason instead of passing without a fault.
final class FullDiskFault: InjectedStorageFault, @unchecked Sendable {
    let mountPoint: URL
    private var filler: URL { mountPoint.appendingPathComponent("filler") }
    private var mounted = true

    private init(mountPoint: URL) { self.mountPoint = mountPoint }

    var directory: URL { mountPoint }
    func inject(into _: ServiceProcess) { fill() }
    func clear(from _: ServiceProcess) { clear() }
    func cleanup() { unmount() }

    /// Whether this machine lets the tests mount a tmpfs (root with CAP_SYS_ADMIN).
    static let canMount: Bool = {
        guard let probe = try? make(sizeMB: 1) else { return false }
        probe.unmount()
        return true
    }()

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

/// A file-size limit (RLIMIT_FSIZE, set on the running process with `prlimit`): every write past
/// the limit fails with EFBIG, so SQLite cannot write its WAL (`SQLITE_FULL`/`SQLITE_IOERR`).
/// Needs no privilege for one's own child process, so it runs wherever the tests run. The
/// services ignore SIGXFSZ so the limit shows as a storage fault rather than killing them.
final class FileSizeLimitFault: InjectedStorageFault, @unchecked Sendable {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("eco-fsize-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Lowers the soft limit to one byte.
    func inject(into process: ServiceProcess) throws { try Self.limit(process, "1") }

    /// Raises the soft limit back to the hard one.
    func clear(from process: ServiceProcess) throws { try Self.limit(process, "unlimited") }

    func cleanup() { try? FileManager.default.removeItem(at: directory) }

    private static func limit(_ process: ServiceProcess, _ soft: String) throws {
        guard let pid = process.pid else { throw TestKitError("\(process.name) is not running") }
        let (status, output) = FullDiskFault.run("/usr/bin/prlimit", ["--pid", String(pid), "--fsize=\(soft):"])
        guard status == 0 else { throw TestKitError("prlimit --fsize=\(soft): failed: \(output)") }
    }
}
