import Foundation

/// What the latest forecast says about the time ahead of an instant `t`: its episodes and how
/// long it stays clean.
///
/// Only days from the CST day containing `t` onwards are looked at: a forecast does not rewrite
/// the past, and a warning is about what is still to come.
struct ForecastOutlook {
    /// A cluster of exceeding days: consecutive exceeding days, joined across gaps of at most
    /// `mergeGapDays` non-exceeding days (back-to-back episodes are one episode).
    struct Episode {
        let start: CalendarDay
        let end: CalendarDay
        /// The highest level any run inside the cluster meets; `nil` when exceeding days are
        /// too few for any level (the tail of an episode, or a lone bad day).
        let warning: WarningEpisode?
        let reason: String
    }

    let episodes: [Episode]
    /// The forecast's clean coverage ahead of `t`, in seconds (see `cleanCoverage`).
    let cleanSeconds: TimeInterval
    /// The last day of the clean coverage, when there is any.
    let cleanThrough: CalendarDay?

    /// The first episode that calls for a warning.
    var firstWarning: Episode? { episodes.first { $0.warning != nil } }

    init(days: [DayIndex], at t: Date, rules: AlertLifecycleRules) {
        let today = CalendarDay(containing: t, utcOffsetSeconds: rules.utcOffsetSeconds)
        let ahead = days.filter { $0.date >= today }.sorted { $0.date < $1.date }
        episodes = Self.clusters(ahead, rules: rules)
        (cleanSeconds, cleanThrough) = Self.cleanCoverage(ahead, today: today, at: t, rules: rules)
    }

    /// The lift rule, made precise for daily data. The clean coverage is the time from
    /// `max(t, 00:00 of the first forecast day)` to 24:00 of the last day of the leading run of
    /// days with IAQI <= the exceedance threshold. It is zero when the first forecast day
    /// (at or after today) exceeds, or when the forecast starts later than tomorrow (it says
    /// nothing about the next hours). Examples with the default 36 h: issued 08:00 with today and
    /// tomorrow clean: 16 + 24 = 40 h, lift; issued 14:00 with the same days: 34 h, no lift until
    /// the day after is clean too; issued 20:00 for tomorrow and the day after, both clean: 48 h.
    private static func cleanCoverage(_ ahead: [DayIndex], today: CalendarDay, at t: Date,
                                      rules: AlertLifecycleRules) -> (TimeInterval, CalendarDay?) {
        guard let first = ahead.first, today.days(to: first.date) <= 1 else { return (0, nil) }
        var through: CalendarDay?
        for day in ahead {
            guard day.iaqi <= rules.exceedanceAboveIAQI else { break }
            through = day.date
        }
        guard let through else { return (0, nil) }
        let from = max(t, first.date.start(utcOffsetSeconds: rules.utcOffsetSeconds))
        let until = through.adding(days: 1).start(utcOffsetSeconds: rules.utcOffsetSeconds)
        return (until.timeIntervalSince(from), through)
    }

    private static func clusters(_ ahead: [DayIndex], rules: AlertLifecycleRules) -> [Episode] {
        var spans: [(start: CalendarDay, end: CalendarDay)] = []
        for day in ahead where day.iaqi > rules.exceedanceAboveIAQI {
            if let last = spans.last, last.end.days(to: day.date) - 1 <= rules.mergeGapDays {
                spans[spans.count - 1].end = day.date
            } else {
                spans.append((day.date, day.date))
            }
        }
        return spans.map { span in
            episode(ahead.filter { $0.date >= span.start && $0.date <= span.end }, rules: rules)
        }
    }

    private static func episode(_ days: [DayIndex], rules: AlertLifecycleRules) -> Episode {
        let start = days[0].date
        let end = days[days.count - 1].date
        let warning = rules.warning.assess(days)
        var reason: String
        if let warning {
            reason = warning.reason
            if warning.firstDay != start || warning.lastDay != end {
                reason += "; exceeding days \(start)..\(end) form one episode"
            }
        } else {
            let exceeding = days.filter { $0.iaqi > rules.exceedanceAboveIAQI }.map(\.date.description)
            reason = "IAQI > \(rules.exceedanceAboveIAQI) still forecast on " + exceeding.joined(separator: ", ")
        }
        return Episode(start: start, end: end, warning: warning, reason: reason)
    }
}
