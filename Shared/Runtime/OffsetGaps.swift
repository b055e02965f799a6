import Store

/// A partition whose next record came with a higher offset than the one the service expected.
public struct OffsetGap: Sendable, Hashable, CustomStringConvertible {
    public var partition: TopicPartition
    /// The offset the service stored as next to read.
    public var expected: Int64
    /// The offset of the record that came instead.
    public var found: Int64

    public var description: String { "\(partition.topic)[\(partition.partition)] expected offset \(expected), got \(found)" }
}

/// What the loop does when offsets are missing from what the consumer delivers.
///
/// The topics are neither compacted nor written by transactional producers, so every offset
/// holds a record and a jump means records were not delivered, not that they do not exist. This
/// was seen on the local broker: right after a stall one consumer's fetch returned a partition's
/// records from 243 offsets further on, while another service read the same records in full.
/// The records in between were a trade's funds leg; the trade would never have settled.
///
/// So a record past the expected offset is not applied: the batch stops at the gap for that
/// partition and the loop seeks back to the stored offset to fetch again. Only when the same
/// gap comes back `fetchesBeforeSkipping` times in a row (the records really are gone: a
/// compacted or truncated log) is it accepted, logged as an error with the offsets skipped and
/// counted (`eco_offsets_skipped_total`), so that a broker that lost data cannot wedge the
/// service either.
public struct OffsetGaps: Sendable {
    /// How many fetches in a row must show the same gap before its offsets are skipped.
    public let fetchesBeforeSkipping: Int
    private var seen: [TopicPartition: (gap: OffsetGap, times: Int)] = [:]

    public init(fetchesBeforeSkipping: Int = 3) {
        self.fetchesBeforeSkipping = max(1, fetchesBeforeSkipping)
    }

    /// Whether to apply a record at `found` although `expected` came first: false until this
    /// gap has been fetched `fetchesBeforeSkipping` times (each call for a new fetch counts once).
    mutating func accepts(_ gap: OffsetGap) -> Bool {
        let times = seen[gap.partition].map { $0.gap == gap ? $0.times + 1 : 1 } ?? 1
        if times >= fetchesBeforeSkipping {
            seen[gap.partition] = nil
            return true
        }
        seen[gap.partition] = (gap, times)
        return false
    }

    /// Forgets a partition's gap once records at the expected offset arrived after all.
    mutating func closed(_ partition: TopicPartition) {
        if !seen.isEmpty { seen[partition] = nil }
    }
}
