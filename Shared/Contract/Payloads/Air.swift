/// The ozone warning system's inputs (`air.observations`) and outputs (`air.alerts`), keyed by
/// district (DESIGN.md section 4). Concentrations are in ug/m3.

/// Ozone and NO2 readings above this are instrument faults, not air (the O3 scale tops at 1200).
private let gasBounds: ClosedRange<Double> = 0...2000
/// Particles go higher in dust storms (PM10 above 8000 was measured in Beijing in March 2021).
private let particleBounds: ClosedRange<Double> = 0...10_000

/// One station's reading at one instant.
public struct AirQualityObserved: EventPayload {
    public static let eventType: EventType = "AirQualityObserved"
    public var district: String
    public var stationId: String
    public var observedAt: Timestamp
    /// O3 1-hour average.
    public var o3OneHour: Double
    /// O3 8-hour moving average.
    public var o3EightHour: Double
    public var pm25: Double?
    public var pm10: Double?
    public var no2: Double?

    public init(district: String, stationId: String, observedAt: Timestamp, o3OneHour: Double, o3EightHour: Double,
                pm25: Double? = nil, pm10: Double? = nil, no2: Double? = nil) {
        self.district = district; self.stationId = stationId; self.observedAt = observedAt
        self.o3OneHour = o3OneHour; self.o3EightHour = o3EightHour; self.pm25 = pm25; self.pm10 = pm10; self.no2 = no2
    }

    public var partitionKey: String { district }

    public func validate() throws(ContractError) {
        try checkDistrict(district)
        try Check.identifier(stationId, "stationId")
        try Check.finite(o3OneHour, in: gasBounds, "o3OneHour")
        try Check.finite(o3EightHour, in: gasBounds, "o3EightHour")
        if let pm25 { try Check.finite(pm25, in: particleBounds, "pm25") }
        if let pm10 { try Check.finite(pm10, in: particleBounds, "pm10") }
        if let no2 { try Check.finite(no2, in: gasBounds, "no2") }
    }
}

/// One forecast day: the O3 8-hour maximum, its index, or both (at least one).
public struct ForecastDay: Codable, Sendable, Equatable {
    public var date: CivilDate
    /// Daily maximum of the O3 8-hour moving average, ug/m3.
    public var o3EightHourMax: Int64?
    /// Added: the forecaster's IAQI(O3) for the day, when it forecasts the index directly.
    public var iaqi: Int64?

    public init(date: CivilDate, o3EightHourMax: Int64? = nil, iaqi: Int64? = nil) {
        self.date = date; self.o3EightHourMax = o3EightHourMax; self.iaqi = iaqi
    }

    func validate(_ field: String) throws(ContractError) {
        if o3EightHourMax == nil && iaqi == nil {
            throw .invalid("\(field) (\(date)) needs o3EightHourMax or iaqi, got neither")
        }
        if let o3EightHourMax { try Check.range(o3EightHourMax, 0...2000, "\(field).o3EightHourMax") }
        if let iaqi { try Check.range(iaqi, 0...500, "\(field).iaqi") }
    }
}

/// A district's forecast for the coming days (1 to 14, consecutive or not, in date order).
public struct AirQualityForecast: EventPayload {
    public static let eventType: EventType = "AirQualityForecast"
    public static let maxDays = 14
    public var forecastId: String
    public var district: String
    public var issuedAt: Timestamp
    public var days: [ForecastDay]

    public init(forecastId: String, district: String, issuedAt: Timestamp, days: [ForecastDay]) {
        self.forecastId = forecastId; self.district = district; self.issuedAt = issuedAt; self.days = days
    }

    public var partitionKey: String { district }

    public func validate() throws(ContractError) {
        try Check.identifier(forecastId, "forecastId")
        try checkDistrict(district)
        try Check.count(days, "days", min: 1, max: Self.maxDays)
        for (index, day) in days.enumerated() {
            try day.validate("days[\(index)]")
            if index > 0, day.date <= days[index - 1].date {
                throw .invalid("days[\(index)].date \(day.date) must be after days[\(index - 1)].date \(days[index - 1].date)")
            }
        }
    }
}

/// A city-wide command to the air-alert service: every district gets `level` (nil lifts the
/// city-wide level, so each district follows its own forecast again). Keyed by the city.
public struct SetCityAlertLevel: EventPayload {
    public static let eventType: EventType = "SetCityAlertLevel"
    public var city: String
    public var level: AlertLevel?
    public var reason: String
    public var issuedAt: Timestamp

    public init(city: String, level: AlertLevel?, reason: String, issuedAt: Timestamp) {
        self.city = city; self.level = level; self.reason = reason; self.issuedAt = issuedAt
    }

    public var partitionKey: String { city }

    public func validate() throws(ContractError) {
        try Check.nonEmpty(city, "city", max: 64)
        try Check.reason(reason)
    }
}

private func checkDistrict(_ district: String) throws(ContractError) {
    try Check.nonEmpty(district, "district", max: 64)
}

/// The fields shared by a warning being issued, raised or lowered.
private func checkAlert(alertId: String, district: String, startsOn: CivilDate, endsOn: CivilDate,
                        reason: String, forecastId: String) throws(ContractError) {
    try Check.identifier(alertId, "alertId")
    try checkDistrict(district)
    if endsOn < startsOn { throw .invalid("endsOn \(endsOn) must not be before startsOn \(startsOn)") }
    try Check.reason(reason)
    try Check.identifier(forecastId, "forecastId")
}

/// The alert events that carry a district's warning as it now stands (issued, upgraded,
/// downgraded, revised): the same fields, so a publisher can build any of them the same way.
public protocol AlertNoticePayload: EventPayload {
    init(alertId: String, district: String, level: AlertLevel, startsOn: CivilDate, endsOn: CivilDate,
         late: Bool, reason: String, forecastId: String)
}

/// A district warning was issued. `late` is true when it came less than 24 h before `startsOn`.
public struct AlertIssued: AlertNoticePayload {
    public static let eventType: EventType = "AlertIssued"
    public var alertId: String
    public var district: String
    public var level: AlertLevel
    public var startsOn: CivilDate
    public var endsOn: CivilDate
    public var late: Bool
    public var reason: String
    /// The forecast (or command) that caused it.
    public var forecastId: String

    public init(alertId: String, district: String, level: AlertLevel, startsOn: CivilDate, endsOn: CivilDate,
                late: Bool, reason: String, forecastId: String) {
        self.alertId = alertId; self.district = district; self.level = level; self.startsOn = startsOn
        self.endsOn = endsOn; self.late = late; self.reason = reason; self.forecastId = forecastId
    }

    public var partitionKey: String { district }

    public func validate() throws(ContractError) {
        try checkAlert(alertId: alertId, district: district, startsOn: startsOn, endsOn: endsOn,
                       reason: reason, forecastId: forecastId)
    }
}

/// A district warning was raised to `level`.
public struct AlertUpgraded: AlertNoticePayload {
    public static let eventType: EventType = "AlertUpgraded"
    public var alertId: String
    public var district: String
    public var level: AlertLevel
    public var startsOn: CivilDate
    public var endsOn: CivilDate
    public var late: Bool
    public var reason: String
    public var forecastId: String

    public init(alertId: String, district: String, level: AlertLevel, startsOn: CivilDate, endsOn: CivilDate,
                late: Bool, reason: String, forecastId: String) {
        self.alertId = alertId; self.district = district; self.level = level; self.startsOn = startsOn
        self.endsOn = endsOn; self.late = late; self.reason = reason; self.forecastId = forecastId
    }

    public var partitionKey: String { district }

    public func validate() throws(ContractError) {
        try checkAlert(alertId: alertId, district: district, startsOn: startsOn, endsOn: endsOn,
                       reason: reason, forecastId: forecastId)
    }
}

/// A district warning was lowered to `level`.
public struct AlertDowngraded: AlertNoticePayload {
    public static let eventType: EventType = "AlertDowngraded"
    public var alertId: String
    public var district: String
    public var level: AlertLevel
    public var startsOn: CivilDate
    public var endsOn: CivilDate
    public var late: Bool
    public var reason: String
    public var forecastId: String

    public init(alertId: String, district: String, level: AlertLevel, startsOn: CivilDate, endsOn: CivilDate,
                late: Bool, reason: String, forecastId: String) {
        self.alertId = alertId; self.district = district; self.level = level; self.startsOn = startsOn
        self.endsOn = endsOn; self.late = late; self.reason = reason; self.forecastId = forecastId
    }

    public var partitionKey: String { district }

    public func validate() throws(ContractError) {
        try checkAlert(alertId: alertId, district: district, startsOn: startsOn, endsOn: endsOn,
                       reason: reason, forecastId: forecastId)
    }
}

/// A district warning ended.
public struct AlertLifted: EventPayload {
    public static let eventType: EventType = "AlertLifted"
    public var alertId: String
    public var district: String
    public var reason: String
    /// The forecast (or city order) that lifted it, as the other alert events name their cause.
    /// Added to DESIGN.md's fields: optional, so events written before it still decode.
    public var forecastId: String?

    public init(alertId: String, district: String, reason: String, forecastId: String? = nil) {
        self.alertId = alertId; self.district = district; self.reason = reason; self.forecastId = forecastId
    }

    public var partitionKey: String { district }

    public func validate() throws(ContractError) {
        try Check.identifier(alertId, "alertId")
        try checkDistrict(district)
        try Check.reason(reason)
        if let forecastId { try Check.identifier(forecastId, "forecastId") }
    }
}

/// The measures one enterprise of the district must take under a warning. `exempt` green
/// benchmark enterprises may get no measures at all.
public struct ControlDirectiveIssued: EventPayload {
    public static let eventType: EventType = "ControlDirectiveIssued"
    public static let maxMeasures = 32
    public var directiveId: String
    public var alertId: String
    public var entityId: String
    public var district: String
    public var level: AlertLevel
    public var exempt: Bool
    public var measures: [String]

    public init(directiveId: String, alertId: String, entityId: String, district: String, level: AlertLevel,
                exempt: Bool, measures: [String]) {
        self.directiveId = directiveId; self.alertId = alertId; self.entityId = entityId; self.district = district
        self.level = level; self.exempt = exempt; self.measures = measures
    }

    public var partitionKey: String { district }

    public func validate() throws(ContractError) {
        try Check.identifier(directiveId, "directiveId")
        try Check.identifier(alertId, "alertId")
        try Check.identifier(entityId, "entityId")
        try checkDistrict(district)
        try Check.count(measures, "measures", max: Self.maxMeasures)
        try Check.texts(measures, "measures")
    }
}
