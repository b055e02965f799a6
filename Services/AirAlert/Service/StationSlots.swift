import GRDB
import Synchronization

/// Each station's newest on-time hour slot, held in memory so a reading does not query
/// `air_stations` for it (one of three statements on the path every reading takes).
///
/// It follows the table: loaded from it when the runtime restores the handler (at start and
/// after any batch that failed to commit), and moved on only after the reading that moves the
/// table's column was counted, the last write of that reading.
final class StationSlots: Sendable {
    private let newest = Mutex<[String: Int]>([:])

    func load(_ db: Database) throws {
        var loaded: [String: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT stationId, newestSlot FROM air_stations WHERE newestSlot IS NOT NULL")
        while let row = try rows.next() { loaded[row[0]] = row[1] }
        newest.withLock { $0 = loaded }
    }

    func newestSlot(of stationId: String) -> Int? {
        newest.withLock { $0[stationId] }
    }

    func advance(_ stationId: String, to slot: Int) {
        newest.withLock { $0[stationId] = slot }
    }
}
