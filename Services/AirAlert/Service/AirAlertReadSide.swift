import AirAlertDomain
import Contract
import Foundation
import GRDB
import ServiceRuntime

/// The air-alert service's read-only admin routes: districts and their warnings, directives in
/// force, and station readings.
struct AirAlertReadSide: Sendable {
    let store: EventStoreReader
    let lifecycle: AlertLifecycleRules

    var routes: [AdminRoute] {
        [
            AdminRoute("/districts", summary: "every known district: warning level, city order, observed air") { _ in
                .json(try store.read { try districts($0) })
            },
            AdminRoute("/districts/{district}", summary: "one district: warning state, directives, history (?limit=100)") { request in
                let district = Self.decoded(request.parameters["district"] ?? "")
                let limit = Self.limit(request.query["limit"], default: 100)
                guard let detail = try store.read({ try self.detail($0, district: district, limit: limit) }) else {
                    return .notFound("district \(district)")
                }
                return .json(detail)
            },
            AdminRoute("/directives", summary: "control directives in force (?district=)") { request in
                let district = request.query["district"].map(Self.decoded)
                return .json(try store.read { try DirectiveRecords.active($0, district: district) })
            },
            AdminRoute("/observations/{stationId}",
                       summary: "a station's current reading and those of its latest hours (?hours=24, at most 168)") { request in
                let station = Self.decoded(request.parameters["stationId"] ?? "")
                let hours = Self.limit(request.query["hours"], default: 24)
                guard let view = try store.read({ try ObservedLevels.station($0, stationId: station, hours: hours) }) else {
                    return .notFound("station \(station)")
                }
                return .json(view)
            },
        ]
    }

    private func districts(_ db: Database) throws -> DistrictsBody {
        let observed = try ObservedLevels.all(db, lifecycle: lifecycle)
        let names = Set(try DistrictRecords.knownDistricts(db)).union(observed.keys).sorted()
        var summaries: [DistrictSummary] = []
        for name in names {
            let state = try DistrictRecords.load(db, district: name)?.state
            summaries.append(DistrictSummary(
                district: name, level: state?.active?.level.rawValue, alert: state?.active.map(AlertView.init),
                cityOrderLevel: state?.cityOrder?.level?.rawValue,
                enterprises: try EnterpriseProjection.count(db, district: name),
                activeDirectives: try DirectiveRecords.activeCount(db, district: name), observed: observed[name]))
        }
        let city = try DistrictRecords.cityOrder(db).map {
            CityOrderView(orderId: $0.order.orderId, city: $0.city, level: $0.order.level?.rawValue,
                          reason: $0.order.reason, issuedAt: Timestamp($0.order.issuedAt))
        }
        return DistrictsBody(districts: summaries, cityOrder: city)
    }

    private func detail(_ db: Database, district: String, limit: Int) throws -> DistrictDetail? {
        let record = try DistrictRecords.load(db, district: district)
        let enterprises = try EnterpriseProjection.count(db, district: district)
        let observed = try ObservedLevels.all(db, lifecycle: lifecycle)[district]
        guard record != nil || enterprises > 0 || observed != nil else { return nil }
        let state = record?.state
        let forecast = state?.latestForecast.map {
            ForecastView(forecastId: $0.forecastId, issuedAt: Timestamp($0.issuedAt),
                         days: $0.days.map { DayView(date: $0.date.description, iaqi: $0.iaqi) })
        }
        return DistrictDetail(
            district: district, level: state?.active?.level.rawValue, alert: state?.active.map(AlertView.init),
            alertsIssued: state?.alertsIssued ?? 0, cityOrderLevel: state?.cityOrder?.level?.rawValue,
            latestForecast: forecast, enterprises: enterprises,
            activeDirectives: try DirectiveRecords.active(db, district: district), observed: observed,
            history: try DistrictRecords.history(db, district: district, limit: limit))
    }

    /// Path segments may arrive percent-encoded (district names are often Chinese).
    static func decoded(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }

    static func limit(_ text: String?, default value: Int) -> Int {
        min(max(text.flatMap(Int.init) ?? value, 1), 10_000)
    }
}

struct DistrictsBody: Encodable {
    var districts: [DistrictSummary]
    var cityOrder: CityOrderView?
}

struct DistrictSummary: Encodable {
    var district: String
    /// The warning level in force or announced, nil for none.
    var level: String?
    var alert: AlertView?
    var cityOrderLevel: String?
    var enterprises: Int
    var activeDirectives: Int
    var observed: ObservedLevel?
}

struct DistrictDetail: Encodable {
    var district: String
    var level: String?
    var alert: AlertView?
    var alertsIssued: Int
    var cityOrderLevel: String?
    var latestForecast: ForecastView?
    var enterprises: Int
    var activeDirectives: [DirectiveView]
    var observed: ObservedLevel?
    var history: [HistoryEntry]
}

/// The alert as published (wire id) with the domain's own id beside it.
struct AlertView: Encodable {
    var alertId: String
    var domainAlertId: String
    var level: String
    /// The level the latest forecast alone calls for (nil when only a city order holds the alert).
    var forecastLevel: String?
    var startsOn: String
    var endsOn: String
    var late: Bool
    var reason: String
    var forecastId: String

    init(_ alert: ActiveAlert) {
        alertId = WireID.alert(alert.alertId)
        domainAlertId = alert.alertId
        level = alert.level.rawValue
        forecastLevel = alert.forecastLevel?.rawValue
        startsOn = alert.startsOn.description
        endsOn = alert.endsOn.description
        late = alert.late
        reason = alert.reason
        forecastId = alert.forecastId
    }
}

struct CityOrderView: Encodable {
    var orderId: String
    var city: String
    var level: String?
    var reason: String
    var issuedAt: Timestamp
}

struct ForecastView: Encodable {
    var forecastId: String
    var issuedAt: Timestamp
    var days: [DayView]
}

struct DayView: Encodable {
    var date: String
    var iaqi: Int
}
