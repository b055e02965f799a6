import EcoTestKit
import Foundation

/// CPU time of the broker, the services and this generator over the load phase alone.
///
/// Why: the services' lifetime CPU (saga-bench.sh's `CPU seconds used`) includes start-up,
/// set-up and the close of the day, and the wall rates on this machine swing by a fifth from run
/// to run, so comparing two builds needed many runs. CPU per order over the load alone moves
/// much less. Read from /proc/<pid>/stat (user + system clock ticks) before the first order and
/// after the last `TradeSettled`.
struct LoadPhaseCPU {
    /// name -> pid, as given by `--cpu-of name=pid,...`.
    let processes: [(name: String, pid: Int32)]
    private var start: [Double] = []
    private var ownStart = 0.0

    init(processes: [(name: String, pid: Int32)]) {
        self.processes = processes
    }

    /// Parses `registry=123,matching=456`; nil for anything else.
    static func parse(_ text: String) -> [(name: String, pid: Int32)]? {
        var result: [(name: String, pid: Int32)] = []
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, let pid = Int32(parts[1]), pid > 0 else { return nil }
            result.append((String(parts[0]), pid))
        }
        return result
    }

    mutating func begin() {
        start = processes.map { Self.seconds(of: $0.pid) ?? .nan }
        ownStart = ProcessCPU.seconds()
    }

    /// Microseconds of CPU per order over the load, per process, then the generator and the sum.
    func end(orders: Int) -> [(String, OrderedJSON)] {
        var members: [(String, OrderedJSON)] = []
        var total = 0.0
        func add(_ name: String, _ seconds: Double) {
            let micros = seconds / Double(max(orders, 1)) * 1e6
            members.append((name, .rounded(micros, 1)))
            if micros.isFinite { total += micros }
        }
        for (index, process) in processes.enumerated() {
            add(process.name, (Self.seconds(of: process.pid) ?? .nan) - start[index])
        }
        add("generator", ProcessCPU.seconds() - ownStart)
        members.append(("total", .rounded(total, 1)))
        return members
    }

    /// User + system CPU seconds of `pid` so far, nil when it cannot be read.
    static func seconds(of pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After the command name: field 3 (state) first, so utime (14) and stime (15) are 11 and 12.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
