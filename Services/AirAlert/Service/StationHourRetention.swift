import GRDB
import Synchronization

/// How long `air_station_hours` keeps a station hour: the observation record would otherwise grow
/// by every station's every hour for as long as the service runs (about 17 million rows a year
/// for 2,000 stations).
///
/// Rows go by the time of the records that arrive (their Kafka timestamps), never the wall clock,
/// so replaying a batch deletes the same rows. At most one `DELETE` runs per hour of that time.
/// The retention is longer than the de-duplication window (checked at start), and a reading
/// older than that window is refused before it is looked up, so a pruned hour can never be
/// needed to recognise a duplicate.
final class StationHourRetention: Sendable {
    /// Whole hours a station hour is kept after the hour it was measured in.
    let hours: Int
    /// The horizon of the last `DELETE`; nil after a restore, when the file may hold older rows.
    private let prunedBefore = Mutex<Int?>(nil)

    init(days: Int) {
        hours = days * 24
    }

    /// Deletes the station hours older than the retention, measured from `receivedAt`'s hour.
    func prune(_ db: Database, receivedAtMs: Int64) throws {
        let horizon = Int(receivedAtMs.dividedRoundingDown(by: 3_600_000)) - hours
        guard prunedBefore.withLock({ $0.map { horizon > $0 } ?? true }) else { return }
        try db.execute(sql: "DELETE FROM air_station_hours WHERE hourSlot < ?", arguments: [horizon])
        prunedBefore.withLock { $0 = horizon }
    }

    /// Forgets the last horizon: the transaction that pruned up to it may have rolled back.
    func reset() {
        prunedBefore.withLock { $0 = nil }
    }
}

private extension Int64 {
    func dividedRoundingDown(by divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
