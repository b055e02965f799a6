/// A run of consecutive forecast days that meets one level's rule.
public struct WarningEpisode: Sendable, Equatable, Codable {
    public let level: AlertLevel
    /// First and last day of the run of days above the level's threshold.
    public let firstDay: CalendarDay
    public let lastDay: CalendarDay
    /// The days above the peak threshold, for a rule that has one.
    public let peakDays: [CalendarDay]
    /// E.g. `IAQI > 150 forecast on 4 consecutive days 2026-07-14..2026-07-17, > 200 on 2026-07-15`.
    public let reason: String
}

extension WarningRules {
    /// Every run that meets some level's rule, ordered by first day, then by level.
    ///
    /// A run is a maximal sequence of calendar-consecutive days whose IAQI is strictly above the
    /// rule's threshold; a missing day ends a run, because an unknown day cannot be counted as
    /// exceeding. For orange-like rules the peak days must lie inside that same run.
    /// - Parameter days: daily IAQI(O3) values; any order, sorted by date here.
    public func episodes(in days: [DayIndex]) -> [WarningEpisode] {
        let sorted = days.sorted { $0.date < $1.date }
        var found: [WarningEpisode] = []
        for rule in levels {
            for run in Self.runs(in: sorted, above: rule.aboveIAQI) where run.count >= rule.minConsecutiveDays {
                let peaks = rule.peakAboveIAQI.map { peak in run.filter { $0.iaqi > peak }.map(\.date) } ?? []
                guard peaks.count >= rule.minPeakDays else { continue }
                found.append(Self.episode(rule, run, peaks))
            }
        }
        return found.sorted { ($0.firstDay, $0.level) < ($1.firstDay, $1.level) }
    }

    /// The warning the days call for: the highest level met by any run; among runs of that
    /// level, the earliest. `nil` when no rule is met.
    public func assess(_ days: [DayIndex]) -> WarningEpisode? {
        let all = episodes(in: days)
        guard let top = all.map(\.level).max() else { return nil }
        return all.first { $0.level == top }
    }

    /// Maximal runs of calendar-consecutive days strictly above `threshold`.
    static func runs(in sorted: [DayIndex], above threshold: Int) -> [[DayIndex]] {
        var runs: [[DayIndex]] = []
        var current: [DayIndex] = []
        for day in sorted {
            let continues = current.last.map { $0.date.days(to: day.date) == 1 } ?? true
            if day.iaqi > threshold, continues {
                current.append(day)
            } else {
                if !current.isEmpty { runs.append(current) }
                current = day.iaqi > threshold ? [day] : []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    private static func episode(_ rule: LevelRule, _ run: [DayIndex], _ peaks: [CalendarDay]) -> WarningEpisode {
        let first = run[0].date
        let last = run[run.count - 1].date
        var reason = "IAQI > \(rule.aboveIAQI) forecast on \(run.count) consecutive days \(first)..\(last)"
        if let peak = rule.peakAboveIAQI, !peaks.isEmpty {
            reason += ", > \(peak) on " + peaks.map(\.description).joined(separator: ", ")
        }
        return WarningEpisode(level: rule.level, firstDay: first, lastDay: last, peakDays: peaks, reason: reason)
    }
}
