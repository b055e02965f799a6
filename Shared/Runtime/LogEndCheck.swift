import Store

/// Partitions whose log ends below the offset this service stored as next to read.
///
/// Every offset below the stored one was applied from a record the broker held, so a log that
/// ends lower lost those records: a broker restarted without its data (the local Tansu keeps
/// logs in memory), an unclean leader election, or a store that belongs to another cluster. The
/// consumer then starts again from the log's beginning and every new record, below the stored
/// offset, looks already applied: commands would be skipped without a word. The service cannot
/// repair this itself (which records were lost is unknowable), so it says so: not ready, with
/// the partitions and offsets in `/readyz`, until the log passes the stored offset again or an
/// operator moves the store.
///
/// A partition counts only when two checks in a row saw it, so one stale watermark is no alarm.
struct LogEndCheck: Sendable {
    private var suspected: Set<TopicPartition> = []
    /// The partitions confirmed at the last check, with the stored offset and the log end.
    private(set) var confirmed: [TopicPartition: (stored: Int64, logEnd: Int64)] = [:]

    /// Records one check of `logEnds` (the high watermarks; negative when unknown) against
    /// `positions`.
    mutating func check(positions: [TopicPartition: Int64], logEnds: [TopicPartition: Int64]) {
        var below: [TopicPartition: (stored: Int64, logEnd: Int64)] = [:]
        for (partition, stored) in positions {
            guard let end = logEnds[partition], end >= 0, end < stored else { continue }
            below[partition] = (stored, end)
        }
        confirmed = below.filter { suspected.contains($0.key) }
        suspected = Set(below.keys)
    }

    /// The fault to report, or nil when every log reaches the stored offsets.
    var fault: String? {
        guard !confirmed.isEmpty else { return nil }
        let parts = confirmed.sorted { $0.key < $1.key }.map { "\($0.key) ends at \($0.value.logEnd), below the stored offset \($0.value.stored)" }
        return "the broker's log is behind this store (records it applied are gone: a broker restarted without its data, "
            + "or a store of another cluster); new records there would be taken for ones already applied: "
            + parts.joined(separator: "; ")
    }
}
