import EcoTestKit
import Foundation

/// Waits on the registry's admin port until an entity's unit outputs are stored.
///
/// `AllocateAllowances` allocates only to entities whose output is already stored, so it must
/// not be sent before the outputs are in. The Python generator asked for the last seller's
/// outputs (the last `RecordUnitOutput` produced); this keeps that check so that the set-up is
/// the same. (The registry also answers each output with `UnitOutputRecorded` on
/// `registry.events`, which the watcher could count instead.)
enum RegistryOutputs {
    static func awaitRecorded(entity: String, adminPort: Int, timeout: Double) async throws {
        let deadline = MonotonicClock.nanoseconds() + UInt64(timeout * 1e9)
        let path = "/entities/\(entity)/outputs"
        while MonotonicClock.nanoseconds() < deadline {
            if let answer = try? await AdminClient.get(port: adminPort, path: path, timeout: .seconds(2)),
               answer.status == 200, isNonEmpty(answer.body) {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchFailure("saga-bench: outputs were not recorded in time")
    }

    /// Whether a JSON body holds something (a non-empty array or object), as Python's truth test.
    private static func isNonEmpty(_ body: Data) -> Bool {
        switch try? JSONSerialization.jsonObject(with: body) {
        case let array as [Any]: return !array.isEmpty
        case let object as [String: Any]: return !object.isEmpty
        default: return false
        }
    }
}
