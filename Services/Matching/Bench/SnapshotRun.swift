import BinaryCoding
import Foundation
import MatchingDomain

/// Times a snapshot of the engine after a crossing workload, written and read back (each read
/// checked equal to the engine): `JSONEncoder`/`JSONDecoder` (JSON snapshots were read so until
/// session 15) against the binary layout the service stores. A snapshot's cost grows with the
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
        var binaryBytes = 0
        var binaryBuffer: [UInt8] = []
        let binary = try best {
            var writer = BinaryWriter(reusing: &binaryBuffer)
            try engine.writeSnapshot(into: &writer)
            writer.seal()
            binaryBuffer = writer.take()
            binaryBytes = binaryBuffer.count
        }
        // What a restart pays before it replays the journal's tail: reading the snapshot back.
        let snapshot = try JSONEncoder().encode(engine)
        var restored: MatchingEngine?
        let jsonReader = try best { restored = try JSONDecoder().decode(MatchingEngine.self, from: snapshot) }
        guard restored == engine else { throw BenchFailure("the snapshot read back differs from the engine") }
        let binaryReader = try best {
            var reader = try BinaryReader(verifying: binaryBuffer)
            restored = try MatchingEngine.readSnapshot(from: &reader)
        }
        guard restored == engine else { throw BenchFailure("the snapshot read back differs from the engine") }
        // The loop's side of a snapshot: the encoder holds a copy of the state, so the loop's next
        // changes to the order table and the order index copy them first (copy-on-write).
        var extra: OrderRequest?
        for request in workload.requests() { extra = request; break }
        guard var extra else { throw BenchFailure("the workload has no order to submit after the snapshot") }
        extra.orderID = OrderID("after-the-snapshot")
        let copyOnWrite = try best {
            let held = engine
            var loop = engine
            outputs.removeAll(keepingCapacity: true)
            loop.submit(extra, into: &outputs)
            withExtendedLifetime(held) {}
        }
        print("  copy-on-write after a snapshot (the loop's first change to the order table and index): \(copyOnWrite / 1_000) us")
        for (name, nanoseconds, bytes) in [("write: JSONEncoder", foundation, foundationBytes),
                                           ("write: binary layout, sealed (the service's)", binary, binaryBytes),
                                           ("read: JSONDecoder", jsonReader, snapshot.count),
                                           ("read: binary layout, checksum verified (the service's)", binaryReader, binaryBytes)] {
            let perOrder = Double(nanoseconds) / Double(workload.count)
            let megabytesPerSecond = Double(bytes) / Double(nanoseconds) * 1e9 / 1e6
            print("  \(name): \(bytes) bytes in \(nanoseconds / 1_000_000) ms, \(Int(perOrder)) ns per order, \(Int(megabytesPerSecond)) MB/s")
        }
    }

    struct BenchFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
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
