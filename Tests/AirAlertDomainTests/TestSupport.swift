import Foundation
@testable import AirAlertDomain

/// A CST calendar day from `yyyy-MM-dd`.
func day(_ text: String) -> CalendarDay {
    try! CalendarDay(text)
}

/// An instant given in China Standard Time: `cst("2026-07-10", 10)` is 10:00 CST.
func cst(_ date: String, _ hour: Int, _ minute: Int = 0) -> Date {
    day(date).start().addingTimeInterval(Double(hour * 3600 + minute * 60))
}

/// Daily indices from a start day.
func series(_ start: String, _ iaqis: [Int]) -> [DayIndex] {
    iaqis.enumerated().map { DayIndex(date: day(start).adding(days: $0.offset), iaqi: $0.element) }
}

/// A forecast of daily IAQIs for `district`, starting on `start`.
func forecast(_ id: String, issued: Date, start: String, _ iaqis: [Int], district: String = "wuhou") -> Forecast {
    let days = iaqis.enumerated().map {
        try! ForecastDay(date: day(start).adding(days: $0.offset), iaqi: $0.element)
    }
    return try! Forecast(forecastId: id, district: district, issuedAt: issued, days: days)
}

func ug(_ value: Int) -> Concentration {
    try! Concentration(micrograms: value)
}

extension AlertDecision {
    /// The notice carried by an issue, upgrade, downgrade or revision.
    var notice: AlertNotice? {
        switch self {
        case let .issued(n), let .upgraded(n), let .downgraded(n), let .revised(n): n
        case .lifted: nil
        }
    }

    var kind: String {
        switch self {
        case .issued: "issued"
        case .upgraded: "upgraded"
        case .downgraded: "downgraded"
        case .revised: "revised"
        case .lifted: "lifted"
        }
    }
}
