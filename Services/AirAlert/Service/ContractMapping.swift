import AirAlertDomain
import Contract
import Foundation

/// Conversions between the contract's wire types and the domain's values.
///
/// The two modules name some types alike (`AlertLevel`, `Sector`, `ForecastDay`) on purpose: the
/// domain knows nothing of the wire. Everything that crosses is converted here, and a domain
/// refusal becomes a `ContractError` with the same code and reason.
enum ContractMapping {
    static func level(_ level: AirAlertDomain.AlertLevel) -> Contract.AlertLevel {
        switch level {
        case .yellow: .yellow
        case .orange: .orange
        case .red: .red
        }
    }

    static func level(_ level: Contract.AlertLevel) -> AirAlertDomain.AlertLevel {
        switch level {
        case .yellow: .yellow
        case .orange: .orange
        case .red: .red
        }
    }

    static func sector(_ sector: Contract.Sector) -> AirAlertDomain.Sector {
        AirAlertDomain.Sector(rawValue: sector.rawValue) ?? .other
    }

    static func civil(_ day: CalendarDay) -> CivilDate {
        CivilDate(daysSinceEpoch: Int64(day.daysSinceEpoch))
    }

    static func calendarDay(_ date: CivilDate) -> CalendarDay {
        CalendarDay(daysSinceEpoch: Int(date.daysSinceEpoch))
    }

    static func refusal(_ error: AirAlertError) -> ContractError {
        ContractError(code: error.code, reason: error.reason)
    }

    /// The domain's forecast for a validated `AirQualityForecast`.
    /// - Throws: `ContractError` `invalid-forecast` (days not consecutive: the domain refuses a
    ///   gap because it would silently break a run of exceeding days) or `invalid-forecast-day`.
    static func forecast(_ payload: AirQualityForecast) throws(ContractError) -> Forecast {
        do {
            let days = try payload.days.map { day in
                try AirAlertDomain.ForecastDay(
                    date: calendarDay(day.date),
                    o3EightHourMax: try day.o3EightHourMax.map { try Concentration(micrograms: Int($0)) },
                    iaqi: day.iaqi.map { Int($0) })
            }
            return try Forecast(forecastId: payload.forecastId, district: payload.district,
                                issuedAt: payload.issuedAt.date, days: days)
        } catch let error as AirAlertError {
            throw refusal(error)
        } catch {
            throw ContractError(code: "invalid-forecast", reason: "\(error)")
        }
    }

    /// The domain's enterprise for a registry profile.
    static func enterprise(_ profile: EntityProfile) -> Enterprise {
        Enterprise(entityId: profile.entityId, district: profile.district, sector: sector(profile.sector),
                   vocEmitter: profile.vocEmitter, greenBenchmark: profile.greenBenchmark)
    }
}

extension String {
    /// At most `limit` UTF-8 bytes, cut at a character boundary: the contract caps reasons at
    /// 1,024 bytes, and a city order's reason quoted inside an alert's could pass it.
    func clipped(toUTF8Bytes limit: Int = Check.maxReasonLength) -> String {
        guard utf8.count > limit else { return self }
        var result = ""
        var used = 0
        for character in self {
            let size = character.utf8.count
            if used + size > limit - 3 { break }
            result.append(character)
            used += size
        }
        return result + "..."
    }
}
