import AirAlertDomain
import Contract
import Foundation
import GRDB
import ServiceRuntime

/// `AirQualityObserved` in: validate, index, de-duplicate, store.
///
/// A reading never changes a warning (warnings follow forecasts, RULES.md); it is the record of
/// what the stations measured, and the district's observed level on the read side. A station
/// hour is stored once: a second reading of the same hour is dropped (first wins, as in the
/// domain's `StationLedger`), a reading that arrives late is stored but does not become the
/// station's current value, and one outside the de-duplication window is dead-lettered. Hours
/// older than the retention are deleted as time moves on (`StationHourRetention`).
struct ObservationIngest: Sendable {
    let rules: ObservationRules
    let standards: [AQIStandard]
    let utcOffsetSeconds: Int
    let retention: StationHourRetention
    let slots = StationSlots()

    func apply(_ payload: AirQualityObserved, context: inout HandlerContext) throws {
        let observation: Observation
        do {
            observation = try Observation(district: payload.district, stationId: payload.stationId,
                                          observedAt: payload.observedAt.date, o3OneHour: payload.o3OneHour,
                                          o3EightHour: payload.o3EightHour, pm25: payload.pm25, pm10: payload.pm10,
                                          no2: payload.no2, rules: rules)
        } catch let error as AirAlertError {
            throw RecordRefused(code: error.code, reason: error.reason)
        }
        let assessment = try assess(observation)
        let db = context.db
        let slot = observation.hourSlot
        let newest = slots.newestSlot(of: observation.stationId)
        let admission = StationAdmission.classify(stationId: observation.stationId, observedAt: observation.observedAt,
                                                  slot: slot, newestSlot: newest, receivedAt: context.now.date,
                                                  rules: rules)
        let outcome: ReadingOutcome
        switch admission {
        case let .rejected(code, reason):
            throw RecordRefused(code: code, reason: reason)
        case .fresh, .late:
            let late = admission == .late
            let stored = try StationRecords.insertHour(db, observation, slot: slot, assessment: assessment,
                                                       receivedAt: context.now.millisecondsSinceEpoch, late: late)
            outcome = !stored ? .duplicate : late ? .late : .fresh
        }
        try StationRecords.count(db, stationId: observation.stationId, district: observation.district, slot: slot,
                                 outcome: outcome)
        try retention.prune(db, receivedAtMs: context.now.millisecondsSinceEpoch)
        if outcome == .fresh { slots.advance(observation.stationId, to: slot) }
    }

    /// Indexes the reading under the edition of HJ 633 in force on its (CST) day.
    private func assess(_ observation: Observation) throws -> AQIAssessment {
        do {
            let day = CalendarDay(containing: observation.observedAt, utcOffsetSeconds: utcOffsetSeconds)
            return try observation.assess(under: AQIStandard.effective(on: day, in: standards))
        } catch let error as AirAlertError {
            throw RecordRefused(code: error.code, reason: error.reason)
        }
    }
}
