import Contract
import EcoTestKit
import Foundation

/// What the ozone week produced on `air.alerts`.
struct OzoneResult {
    var events: [String: [String]] = [:]   // district -> alert event types in order
    var directives: [ControlDirectiveIssued] = []
    var withdrawn = 0
}

/// A week of ozone forecasts for three districts of the city: one goes through issue, upgrade,
/// downgrade and lift, one gets an orange warning, one stays clean.
struct OzoneScenario {
    let writer: TopicWriter
    let log: EventLog
    let progress: Progress

    func run() async throws -> OzoneResult {
        progress.step("playing a week of ozone forecasts for wuhou, chenghua and jinjiang")
        let now = Timestamp.now()
        let today = CivilDate(daysSinceEpoch: (now.millisecondsSinceEpoch + 8 * 3_600_000) / 86_400_000)
        func forecast(_ id: String, _ district: String, _ step: Int64, _ iaqi: [Int64]) -> AirQualityForecast {
            AirQualityForecast(forecastId: id, district: district, issuedAt: now.adding(milliseconds: step * 1000),
                               days: iaqi.enumerated().map { ForecastDay(date: today.adding(days: Int64($0.offset)), iaqi: $0.element) })
        }
        let forecasts = [
            forecast("wuhou-1", "wuhou", 0, [110, 120, 160, 170, 180, 130, 110]),      // yellow: 3 days > 150
            forecast("chenghua-1", "chenghua", 0, [110, 120, 160, 210, 175, 165, 120]), // orange: 4 days > 150, one > 200
            forecast("jinjiang-1", "jinjiang", 0, [90, 100, 110, 120, 115, 100, 95]),   // nothing
            forecast("wuhou-2", "wuhou", 1, [110, 120, 210, 220, 230, 140, 110]),       // red: 3 days > 200
            forecast("wuhou-3", "wuhou", 2, [110, 120, 160, 175, 170, 130, 110]),       // back to yellow
            forecast("wuhou-4", "wuhou", 3, [100, 110, 120, 115, 110, 100, 95]),        // lift: <= 150 ahead
        ]
        for item in forecasts {
            try await writer.send(Envelope(command: item, source: "ecoctl-demo"), to: .airObservations)
            try await Task.sleep(for: .milliseconds(300))
        }
        try await log.wait("warnings", for: 5, timeout: 60) {
            log.alerts.records.filter { ["AlertIssued", "AlertUpgraded", "AlertDowngraded", "AlertLifted"].contains($0.type ?? "") }.count
        }
        try await log.settle(log.alerts)
        var result = OzoneResult()
        for record in log.alerts.records {
            guard let type = record.type, let envelope = record.envelope else { continue }
            switch envelope.payload {
            case let issued as AlertIssued: result.events[issued.district, default: []].append("\(type)(\(issued.level.rawValue))")
            case let up as AlertUpgraded: result.events[up.district, default: []].append("\(type)(\(up.level.rawValue))")
            case let down as AlertDowngraded: result.events[down.district, default: []].append("\(type)(\(down.level.rawValue))")
            case let lifted as AlertLifted: result.events[lifted.district, default: []].append(type)
            case let directive as ControlDirectiveIssued: result.directives.append(directive)
            case is ControlDirectiveWithdrawn: result.withdrawn += 1
            default: continue
            }
        }
        return result
    }
}
