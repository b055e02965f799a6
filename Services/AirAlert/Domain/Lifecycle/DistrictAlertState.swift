import Foundation

/// The warning in effect (or announced) for a district.
public struct ActiveAlert: Sendable, Equatable, Codable {
    public let alertId: String
    public internal(set) var level: AlertLevel
    /// The level the latest forecast alone calls for; `nil` when only a city order holds the
    /// alert. Kept apart from `level` so that withdrawing a city order falls back to it.
    public internal(set) var forecastLevel: AlertLevel?
    public internal(set) var startsOn: CalendarDay
    public internal(set) var endsOn: CalendarDay
    public internal(set) var late: Bool
    public internal(set) var reason: String
    /// The input behind the last published notice.
    public internal(set) var forecastId: String

    func notice(district: String) -> AlertNotice {
        AlertNotice(alertId: alertId, district: district, level: level, startsOn: startsOn,
                    endsOn: endsOn, late: late, reason: reason, forecastId: forecastId)
    }
}

/// The latest applied forecast of a district, as daily indices.
public struct ForecastKnowledge: Sendable, Equatable, Codable {
    public let forecastId: String
    public let issuedAt: Date
    public let days: [DayIndex]
}

/// The warning lifecycle of one district, as a value: the service stores it (Codable), feeds it
/// forecasts and city orders in record order, and publishes the decisions it returns.
///
/// Pure and deterministic: time comes only from the inputs (`issuedAt`), alert ids are
/// `<district>-<n>` with n counting the district's alerts from 1, and applying the same inputs
/// to the same state always yields the same decisions and the same state.
public struct DistrictAlertState: Sendable, Equatable, Codable {
    public let district: String
    /// How many alerts this district has had; the next one is numbered `alertsIssued + 1`.
    public private(set) var alertsIssued: Int
    public internal(set) var active: ActiveAlert?
    public private(set) var latestForecast: ForecastKnowledge?
    /// The last applied city order; a `nil` level means no order is in force.
    public private(set) var cityOrder: CityLevelOrder?
    /// The latest input time applied: decisions are taken "as of" this instant, which never goes
    /// backwards even when a forecast is older than the last city order.
    public private(set) var asOf: Date?

    public init(district: String) {
        self.district = district
        alertsIssued = 0
    }

    /// Applies one input.
    ///
    /// A forecast whose `issuedAt` is earlier than the latest applied one is ignored
    /// (`out-of-order`): it would otherwise undo newer knowledge when records are replayed or
    /// arrive late. A forecast with the latest one's id is a `duplicate`. City orders are ordered
    /// among themselves the same way.
    /// - Throws: `wrong-district` for another district's forecast; the forecast's own errors
    ///   (`no-standard-in-force`, `not-indexable`). A throwing input leaves the state unchanged.
    public mutating func apply(_ input: AlertInput,
                               rules: AlertLifecycleRules = AlertLifecycleRules()) throws -> AlertOutcome {
        switch input {
        case let .forecast(forecast):
            guard forecast.district == district else {
                throw AirAlertError(code: "wrong-district",
                                    reason: "forecast \(forecast.forecastId) is for \(forecast.district), not \(district)")
            }
            if let last = latestForecast {
                if forecast.forecastId == last.forecastId {
                    return .ignored("duplicate", "forecast \(forecast.forecastId) was already applied")
                }
                if forecast.issuedAt < last.issuedAt {
                    return .ignored("out-of-order", "forecast \(forecast.forecastId) was issued at "
                        + "\(Self.stamp(forecast.issuedAt, rules)), before the applied forecast "
                        + "\(last.forecastId) of \(Self.stamp(last.issuedAt, rules))")
                }
            }
            let days = try forecast.dailyIndices(standards: rules.standards)
            latestForecast = ForecastKnowledge(forecastId: forecast.forecastId, issuedAt: forecast.issuedAt, days: days)
            return AlertOutcome(decisions: reconcile(at: advance(to: forecast.issuedAt), cause: forecast.forecastId, rules),
                                ignored: nil)
        case let .cityOrder(order):
            if let last = cityOrder {
                if order.orderId == last.orderId {
                    return .ignored("duplicate", "city order \(order.orderId) was already applied")
                }
                if order.issuedAt < last.issuedAt {
                    return .ignored("out-of-order", "city order \(order.orderId) was issued before "
                        + "the applied city order \(last.orderId)")
                }
            }
            cityOrder = order
            return AlertOutcome(decisions: reconcile(at: advance(to: order.issuedAt), cause: order.orderId, rules),
                                ignored: nil)
        }
    }

    private mutating func advance(to time: Date) -> Date {
        let now = max(asOf ?? time, time)
        asOf = now
        return now
    }

    mutating func nextAlertId() -> String {
        alertsIssued += 1
        return "\(district)-\(alertsIssued)"
    }

    /// `2026-07-17T08:00+08:00`: times in reasons are shown in the zone of the calendar days.
    static func stamp(_ date: Date, _ rules: AlertLifecycleRules) -> String {
        let local = Int((date.timeIntervalSince1970 + Double(rules.utcOffsetSeconds)).rounded(.down))
        let day = CalendarDay(containing: date, utcOffsetSeconds: rules.utcOffsetSeconds)
        let secondsOfDay = local - day.daysSinceEpoch * 86_400
        let offset = abs(rules.utcOffsetSeconds)
        let sign = rules.utcOffsetSeconds < 0 ? "-" : "+"
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day)T\(two(secondsOfDay / 3600)):\(two(secondsOfDay % 3600 / 60))"
            + "\(sign)\(two(offset / 3600)):\(two(offset % 3600 / 60))"
    }
}
