import Foundation
import GRDB
import Synchronization

/// How long `air_station_hours` keeps a station hour: the observation record would otherwise grow
/// by every station's every hour for as long as the service runs (about 17 million rows a year
/// for 2,000 stations).
///
/// The horizon follows the time of the records that arrive (their Kafka timestamps), capped at
/// the wall clock so that one record stamped far in the future cannot empty the table. The
/// retention exceeds the de-duplication window by at least `marginDays` (checked at start): a
/// reading older than the window is refused before it is looked up, so a pruned hour could be
/// needed to recognise a duplicate only if one partition of `air.observations` ran that many days
/// behind another.
///
/// Each prune deletes at most one day of hours, the oldest first, so a store that never pruned
/// (or a long retention shortened) catches up over many records instead of in one large
/// transaction; once caught up, it prunes once an hour of record time.
final class StationHourRetention: Sendable {
    /// The least gap between the retention and the de-duplication window.
    static let marginDays = 30
    /// Whole hours a station hour is kept after the hour it was measured in.
    let hours: Int
    /// Everything below this slot is gone; nil after a restore, when the transaction that pruned
    /// may have rolled back.
    private let prunedBefore = Mutex<Int?>(nil)
    private let wallClockMs: @Sendable () -> Int64

    init(days: Int, wallClockMs: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        hours = days * 24
        self.wallClockMs = wallClockMs
    }

    /// Deletes up to a day of the station hours older than the retention, measured from the
    /// hour of `receivedAtMs` (or of the wall clock, if earlier).
    func prune(_ db: Database, receivedAtMs: Int64) throws {
        let hour = Int(min(receivedAtMs, wallClockMs()).dividedRoundingDown(by: 3_600_000))
        let horizon = hour - hours
        if let done = prunedBefore.withLock({ $0 }), done >= horizon { return }
        guard let oldest = try Int.fetchOne(db, sql: "SELECT MIN(hourSlot) FROM air_station_hours"), oldest < horizon else {
            prunedBefore.withLock { $0 = horizon }
            return
        }
        let bound = min(horizon, oldest + 24)
        try db.execute(sql: "DELETE FROM air_station_hours WHERE hourSlot < ?", arguments: [bound])
        prunedBefore.withLock { $0 = bound }
    }

    /// Forgets how far it pruned: the transaction that did may have rolled back.
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
