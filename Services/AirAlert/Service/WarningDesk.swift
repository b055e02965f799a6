import AirAlertDomain
import Contract
import Foundation
import GRDB
import ServiceRuntime

/// Forecasts and city-wide orders in, warning decisions out: loads the district's stored
/// lifecycle, lets the domain decide, publishes the decisions and stores the new state.
///
/// All of it runs inside the record's savepoint: a refusal (a forecast the domain cannot use)
/// rolls the district back, and the runtime answers with `CommandRejected`.
struct WarningDesk: Sendable {
    let lifecycle: AlertLifecycleRules
    let publisher: DecisionPublisher

    /// `AirQualityForecast`: the district's lifecycle takes the forecast.
    /// - Throws: `ContractError` `invalid-forecast` (days with gaps), `no-standard-in-force`,
    ///   `not-indexable`.
    func apply(_ payload: AirQualityForecast, context: inout HandlerContext) throws {
        let forecast = try ContractMapping.forecast(payload)
        var record = try open(payload.district, adoptingCityOrder: true, context: &context)
        let outcome = try decide(&record, .forecast(forecast))
        try publisher.publish(outcome, record: &record, context: &context)
        try DistrictRecords.save(context.db, record, at: context.now)
    }

    /// `SetCityAlertLevel`: the order goes to every known district (from forecasts and from the
    /// registry's enterprises), in district order, and is kept for districts that appear later.
    /// The order's id is its envelope id, so a redelivered copy is a duplicate for every district.
    func apply(_ payload: SetCityAlertLevel, context: inout HandlerContext) throws {
        let order: CityLevelOrder
        do {
            order = try CityLevelOrder(orderId: context.input.id.lowercasedString,
                                       level: payload.level.map(ContractMapping.level),
                                       reason: payload.reason, issuedAt: payload.issuedAt.date)
        } catch let error as AirAlertError {
            throw ContractMapping.refusal(error)
        }
        for district in try DistrictRecords.knownDistricts(context.db) {
            var record = try open(district, adoptingCityOrder: false, context: &context)
            let outcome = try decide(&record, .cityOrder(order))
            try publisher.publish(outcome, record: &record, context: &context)
            try DistrictRecords.save(context.db, record, at: context.now)
        }
        try DistrictRecords.saveCityOrder(context.db, StoredCityOrder(order: order, city: payload.city))
    }

    /// A district that just became known through the registry: it takes the city order in force.
    func districtAppeared(_ district: String, context: inout HandlerContext) throws {
        guard try DistrictRecords.load(context.db, district: district) == nil,
              let stored = try DistrictRecords.cityOrder(context.db), stored.order.level != nil else { return }
        let record = try open(district, adoptingCityOrder: true, context: &context)
        try DistrictRecords.save(context.db, record, at: context.now)
    }

    /// The district's stored lifecycle, or a new one. A new district takes the city order in force
    /// first (when asked), as if it had been known when the order came.
    private func open(_ district: String, adoptingCityOrder: Bool,
                      context: inout HandlerContext) throws -> DistrictRecord {
        if let record = try DistrictRecords.load(context.db, district: district) { return record }
        var record = DistrictRecord(district: district)
        if adoptingCityOrder, let stored = try DistrictRecords.cityOrder(context.db), stored.order.level != nil {
            let outcome = try decide(&record, .cityOrder(stored.order))
            try publisher.publish(outcome, record: &record, context: &context)
        }
        return record
    }

    private func decide(_ record: inout DistrictRecord, _ input: AlertInput) throws -> AlertOutcome {
        do {
            return try record.state.apply(input, rules: lifecycle)
        } catch let error as AirAlertError {
            throw ContractMapping.refusal(error)
        }
    }
}
