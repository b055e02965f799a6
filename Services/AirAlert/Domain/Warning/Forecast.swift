import Foundation

/// One forecast day: the O3 8-hour maximum concentration, the IAQI(O3), or both.
public struct ForecastDay: Sendable, Equatable, Codable {
    public let date: CalendarDay
    public let o3EightHourMax: Concentration?
    public let iaqi: Int?

    /// - Throws: `invalid-forecast-day` when neither value is given or the IAQI is outside 0...500.
    public init(date: CalendarDay, o3EightHourMax: Concentration? = nil, iaqi: Int? = nil) throws {
        guard o3EightHourMax != nil || iaqi != nil else {
            throw AirAlertError.invalid("forecast-day", "forecast day \(date) has neither a concentration nor an IAQI")
        }
        if let iaqi, !(0...500).contains(iaqi) {
            throw AirAlertError.invalid("forecast-day", "forecast day \(date) has IAQI \(iaqi), outside 0...500")
        }
        self.date = date
        self.o3EightHourMax = o3EightHourMax
        self.iaqi = iaqi
    }

    private enum CodingKeys: String, CodingKey { case date, o3EightHourMax, iaqi }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(date: c.decode(CalendarDay.self, forKey: .date),
                      o3EightHourMax: c.decodeIfPresent(Concentration.self, forKey: .o3EightHourMax),
                      iaqi: c.decodeIfPresent(Int.self, forKey: .iaqi))
    }

    /// The day's IAQI(O3) under the edition of HJ 633 in force on that day.
    ///
    /// - With only an IAQI, that IAQI.
    /// - With a concentration, its O3 8-hour IAQI. An 8-hour value above 800 ug/m3 is not indexed
    ///   under HJ 633-2012 (the 1-hour index is reported instead), and a forecast has no 1-hour
    ///   value; but an 8-hour mean of C means some hour reached at least C, so the O3 1-hour
    ///   IAQI of C is a lower bound of the index that would be reported, and is used.
    /// - With both, the larger: a warning service errs on the side of protection when a
    ///   forecaster's index and concentration disagree (e.g. one computed under another edition).
    /// - Throws: `no-standard-in-force` when no edition covers the day, `not-indexable` when the
    ///   edition has no O3 table for the value.
    public func dailyIAQI(standards: [AQIStandard]) throws -> Int {
        guard let concentration = o3EightHourMax else { return iaqi ?? 0 }
        let standard = try AQIStandard.effective(on: date, in: standards)
        guard let table = standard.table(for: .o3EightHour),
              let derived = table.subIndex(concentration) ?? standard.subIndex(.o3OneHour, concentration)
        else {
            throw AirAlertError(code: "not-indexable",
                                reason: "\(standard.title) cannot index an O3 8-hour value of \(concentration) ug/m3")
        }
        return Swift.max(derived, iaqi ?? 0)
    }
}

/// A district's daily O3 forecast (`AirQualityForecast` on `air.observations`).
public struct Forecast: Sendable, Equatable, Codable {
    public let forecastId: String
    public let district: String
    public let issuedAt: Date
    /// Consecutive calendar days (CST), oldest first.
    public let days: [ForecastDay]

    /// - Throws: `invalid-forecast` for an empty id or district, no days, or days that are not
    ///   consecutive and increasing (a gap would silently break a run of exceeding days).
    public init(forecastId: String, district: String, issuedAt: Date, days: [ForecastDay]) throws {
        guard !forecastId.isEmpty, !district.isEmpty else {
            throw AirAlertError.invalid("forecast", "a forecast needs a forecastId and a district")
        }
        guard !days.isEmpty else {
            throw AirAlertError.invalid("forecast", "forecast \(forecastId) has no days")
        }
        for (previous, next) in zip(days, days.dropFirst()) where previous.date.days(to: next.date) != 1 {
            throw AirAlertError.invalid("forecast",
                                        "forecast \(forecastId) days must be consecutive: \(next.date) follows \(previous.date)")
        }
        self.forecastId = forecastId
        self.district = district
        self.issuedAt = issuedAt
        self.days = days
    }

    private enum CodingKeys: String, CodingKey { case forecastId, district, issuedAt, days }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(forecastId: c.decode(String.self, forKey: .forecastId),
                      district: c.decode(String.self, forKey: .district),
                      issuedAt: c.decode(Date.self, forKey: .issuedAt),
                      days: c.decode([ForecastDay].self, forKey: .days))
    }

    /// The daily IAQI(O3) series, each day indexed with the edition in force on it.
    /// - Throws: `no-standard-in-force`.
    public func dailyIndices(standards: [AQIStandard] = AQIStandard.builtIn) throws -> [DayIndex] {
        try days.map { try DayIndex(date: $0.date, iaqi: $0.dailyIAQI(standards: standards)) }
    }
}

/// A day and its IAQI(O3): the input of the warning rules.
public struct DayIndex: Sendable, Equatable, Codable {
    public let date: CalendarDay
    public let iaqi: Int

    public init(date: CalendarDay, iaqi: Int) {
        self.date = date
        self.iaqi = iaqi
    }
}
