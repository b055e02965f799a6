/// Events the air-alert service adds to `air.alerts` (DESIGN.md allows additions, never renames).
///
/// The warning lifecycle has two outcomes the contract's table has no event for: a warning whose
/// dates move without a level change (back-to-back episodes merging, or an announced warning
/// moving with a newer forecast), and a control directive that stops applying (its warning was
/// lifted or a new level superseded it). Enterprises need both to know what is in force.

/// A district warning kept its level but changed its dates or reason. Same fields as `AlertIssued`.
public struct AlertRevised: AlertNoticePayload {
    public static let eventType: EventType = "AlertRevised"
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
        try Check.identifier(alertId, "alertId")
        try Check.nonEmpty(district, "district", max: 64)
        if endsOn < startsOn { throw .invalid("endsOn \(endsOn) must not be before startsOn \(startsOn)") }
        try Check.reason(reason)
        try Check.identifier(forecastId, "forecastId")
    }
}

/// A control directive no longer applies: its warning was lifted, or a new level superseded it
/// (the directive of the new level follows as its own `ControlDirectiveIssued`).
public struct ControlDirectiveWithdrawn: EventPayload {
    public static let eventType: EventType = "ControlDirectiveWithdrawn"
    public var directiveId: String
    public var alertId: String
    public var entityId: String
    public var district: String
    public var reason: String

    public init(directiveId: String, alertId: String, entityId: String, district: String, reason: String) {
        self.directiveId = directiveId; self.alertId = alertId; self.entityId = entityId
        self.district = district; self.reason = reason
    }

    public var partitionKey: String { district }

    public func validate() throws(ContractError) {
        try Check.identifier(directiveId, "directiveId")
        try Check.identifier(alertId, "alertId")
        try Check.identifier(entityId, "entityId")
        try Check.nonEmpty(district, "district", max: 64)
        try Check.reason(reason)
    }
}
