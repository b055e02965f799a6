import Foundation

/// The decision rules, applied after every input to (latest forecast, city order, time).
///
/// - No alert: issue one when the forecast's first warning episode exists (from its first
///   exceeding day, flagged `late` when that is less than `issueLeadHours` away), or when a city
///   order is in force (from today, never late: it is an order, not a forecast).
/// - An alert not yet in effect (`startsOn` after today) follows the latest forecast: it moves
///   with the first warning episode, changes level, or is withdrawn (lifted) when the forecast
///   no longer calls for a warning.
/// - An alert in effect is lifted when the forecast's clean coverage reaches
///   `liftAfterCleanHours` (see `ForecastOutlook`). Otherwise it follows the forecast's first
///   episode: its end becomes `endsOn` (back-to-back runs merge), and the highest level the
///   episode's days still meet becomes the level. When the remaining days are too few for any
///   level (the tail of an episode) the level is kept: a level changes only when a forecast
///   meets another level's criteria, and the alert ends only by the lift rule.
/// - A city order is a floor: the level is the higher of the forecast's and the order's, and no
///   lift happens while the order is in force. Withdrawing it returns to the forecast's level,
///   or lifts an alert that only the order held.
extension DistrictAlertState {
    mutating func reconcile(at t: Date, cause: String, _ rules: AlertLifecycleRules) -> [AlertDecision] {
        let today = CalendarDay(containing: t, utcOffsetSeconds: rules.utcOffsetSeconds)
        let outlook = ForecastOutlook(days: latestForecast?.days ?? [], at: t, rules: rules)
        var decisions: [AlertDecision] = []
        if let alert = active {
            if let reason = liftReason(alert, outlook, today, t, rules) {
                decisions.append(.lifted(AlertLift(alertId: alert.alertId, district: district,
                                                   reason: reason, forecastId: cause)))
                active = nil
            } else {
                let revised = revise(alert, outlook, today, t, cause, rules)
                if let decision = Self.change(from: alert, to: revised, district: district) {
                    decisions.append(decision)
                    active = revised
                } else {
                    // Nothing published changes; only the forecast's own level is remembered.
                    active?.forecastLevel = revised.forecastLevel
                }
                return decisions
            }
        }
        if let issued = issue(outlook, today, t, cause, rules) {
            active = issued
            decisions.append(.issued(issued.notice(district: district)))
        }
        return decisions
    }

    private var floor: AlertLevel? { cityOrder?.level }

    private func cityReason() -> String {
        guard let order = cityOrder else { return "" }
        return "city order \(order.orderId): \(order.reason)"
    }

    /// Why the alert ends now, or `nil` when it stays.
    private func liftReason(_ alert: ActiveAlert, _ outlook: ForecastOutlook, _ today: CalendarDay,
                            _ t: Date, _ rules: AlertLifecycleRules) -> String? {
        guard floor == nil else { return nil }
        let forecastId = latestForecast?.forecastId ?? "none"
        if alert.startsOn > today {
            guard outlook.firstWarning == nil else { return nil }
            return "forecast \(forecastId) no longer calls for a warning; withdrawn before \(alert.startsOn)"
        }
        if outlook.cleanSeconds >= Double(rules.liftAfterCleanHours * 3600), let through = outlook.cleanThrough {
            let hours = Int(outlook.cleanSeconds / 3600)
            return "IAQI <= \(rules.exceedanceAboveIAQI) forecast for \(hours) h from "
                + "\(Self.stamp(t, rules)) through \(through) (forecast \(forecastId))"
        }
        if alert.forecastLevel == nil, outlook.firstWarning == nil {
            return "city order withdrawn and " + (latestForecast == nil ? "no forecast calls for a warning"
                : "forecast \(forecastId) calls for no warning")
        }
        return nil
    }

    /// The alert after this input, when it is not lifted.
    private func revise(_ alert: ActiveAlert, _ outlook: ForecastOutlook, _ today: CalendarDay,
                        _ t: Date, _ cause: String, _ rules: AlertLifecycleRules) -> ActiveAlert {
        var next = alert
        if alert.startsOn <= today {
            let clean = latestForecast == nil || outlook.cleanSeconds >= Double(rules.liftAfterCleanHours * 3600)
            if clean {
                next.forecastLevel = nil // held only by the city order
            } else if let episode = outlook.episodes.first {
                next.forecastLevel = episode.warning?.level ?? alert.forecastLevel
                next.endsOn = episode.end
                next.reason = episode.reason
            }
        } else if let episode = relevantWarning(outlook, rules) {
            next.forecastLevel = episode.warning?.level
            next.startsOn = episode.start
            next.endsOn = episode.end
            next.reason = episode.reason
        } else {
            next.forecastLevel = nil // only a city order holds it: in effect today
            next.endsOn = today
        }
        if floor != nil, next.startsOn > today {
            next.startsOn = today // a city order takes effect at once
        }
        next.level = Optional.highest(next.forecastLevel, floor) ?? .yellow
        if let floor, floor >= (next.forecastLevel ?? floor) {
            next.reason = cityReason()
        }
        if next.startsOn != alert.startsOn {
            next.late = floor == nil && isLate(t, next.startsOn, rules)
        }
        next.endsOn = max(next.endsOn, next.startsOn)
        next.forecastId = cause
        return next
    }

    private mutating func issue(_ outlook: ForecastOutlook, _ today: CalendarDay, _ t: Date,
                                _ cause: String, _ rules: AlertLifecycleRules) -> ActiveAlert? {
        let episode = relevantWarning(outlook, rules)
        let forecastLevel = episode?.warning?.level
        guard let level = Optional.highest(forecastLevel, floor) else { return nil }
        var startsOn = episode?.start ?? today
        if floor != nil { startsOn = min(startsOn, today) }
        let byCity = floor.map { $0 >= (forecastLevel ?? $0) } ?? false
        return ActiveAlert(alertId: nextAlertId(), level: level, forecastLevel: forecastLevel,
                           startsOn: startsOn, endsOn: max(episode?.end ?? today, startsOn),
                           late: floor == nil && isLate(t, startsOn, rules),
                           reason: byCity ? cityReason() : episode?.reason ?? "", forecastId: cause)
    }

    /// The forecast episode an alert that is not yet in effect should follow. Under a city order
    /// (which puts the alert in effect today) an episode counts only when it is not separated
    /// from now by a liftable clean stretch: a red episode next week does not make today's
    /// city-ordered yellow red; it is taken up once it comes within the lift horizon.
    private func relevantWarning(_ outlook: ForecastOutlook, _ rules: AlertLifecycleRules) -> ForecastOutlook.Episode? {
        if floor != nil, outlook.cleanSeconds >= Double(rules.liftAfterCleanHours * 3600) { return nil }
        return outlook.firstWarning
    }

    /// Issued less than `issueLeadHours` before 00:00 of the first day.
    private func isLate(_ t: Date, _ startsOn: CalendarDay, _ rules: AlertLifecycleRules) -> Bool {
        let deadline = startsOn.start(utcOffsetSeconds: rules.utcOffsetSeconds)
            .addingTimeInterval(-Double(rules.issueLeadHours * 3600))
        return t > deadline
    }

    private static func change(from old: ActiveAlert, to new: ActiveAlert, district: String) -> AlertDecision? {
        let notice = new.notice(district: district)
        if new.level > old.level { return .upgraded(notice) }
        if new.level < old.level { return .downgraded(notice) }
        if new.startsOn != old.startsOn || new.endsOn != old.endsOn { return .revised(notice) }
        return nil
    }
}
