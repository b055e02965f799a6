import Foundation
import MatchingDomain

/// Times a snapshot of the engine after a crossing workload: `JSONEncoder` against the
/// hand-written writer the service uses (`writeSnapshotJSON`). A snapshot's cost grows with the
/// day's orders, and it was half the matching service's CPU under load before the writer.
struct SnapshotRun {
    let workload: CrossingWorkload
    let repeats: Int

    func run() throws {
        var engine = workload.openEngine()
        var outputs: [MatchingOutput] = []
        for request in workload.requests() {
            outputs.removeAll(keepingCapacity: true)
            engine.submit(request, into: &outputs)
        }
        print("snapshot of the engine after \(workload.count) orders (best of \(repeats)):")
        var foundationBytes = 0
        let foundation = try best { foundationBytes = try JSONEncoder().encode(engine).count }
        var writerBytes = 0
        let writer = try best {
            var json = SnapshotJSONWriter(capacity: writerBytes)
            try engine.writeSnapshotJSON(into: &json)
            writerBytes = json.bytes.count
        }
        for (name, nanoseconds, bytes) in [("JSONEncoder", foundation, foundationBytes), ("SnapshotJSONWriter", writer, writerBytes)] {
            let perOrder = Double(nanoseconds) / Double(workload.count)
            let megabytesPerSecond = Double(bytes) / Double(nanoseconds) * 1e9 / 1e6
            print("  \(name): \(bytes) bytes in \(nanoseconds / 1_000_000) ms, \(Int(perOrder)) ns per order, \(Int(megabytesPerSecond)) MB/s")
        }
    }

    private func best(_ body: () throws -> Void) throws -> UInt64 {
        var fastest = UInt64.max
        for _ in 0..<max(1, repeats) {
            let start = monotonicNanoseconds()
            try body()
            fastest = min(fastest, monotonicNanoseconds() - start)
        }
        return fastest
    }
}
