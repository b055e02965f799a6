import Foundation

/// A city-wide order setting a warning level for every district ("the city may set a level for
/// all districts"), or withdrawing such an order (`level == nil`).
///
/// The service applies one order to the state of every district it owns.
public struct CityLevelOrder: Sendable, Equatable, Codable {
    public let orderId: String
    public let level: AlertLevel?
    public let reason: String
    public let issuedAt: Date

    /// - Throws: `invalid-city-order` for an empty id.
    public init(orderId: String, level: AlertLevel?, reason: String, issuedAt: Date) throws {
        guard !orderId.isEmpty else {
            throw AirAlertError.invalid("city-order", "a city order needs an orderId")
        }
        self.orderId = orderId
        self.level = level
        self.reason = reason
        self.issuedAt = issuedAt
    }

    private enum CodingKeys: String, CodingKey { case orderId, level, reason, issuedAt }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(orderId: c.decode(String.self, forKey: .orderId),
                      level: c.decodeIfPresent(AlertLevel.self, forKey: .level),
                      reason: c.decode(String.self, forKey: .reason),
                      issuedAt: c.decode(Date.self, forKey: .issuedAt))
    }
}

/// What the lifecycle of one district consumes.
public enum AlertInput: Sendable, Equatable {
    case forecast(Forecast)
    case cityOrder(CityLevelOrder)
}

/// The payload of `AlertIssued`, `AlertUpgraded`, `AlertDowngraded` (and `revised`): the alert as
/// it stands after the decision.
public struct AlertNotice: Sendable, Equatable, Codable {
    public let alertId: String
    public let district: String
    public let level: AlertLevel
    /// First and last exceeding day of the episode (CST days).
    public let startsOn: CalendarDay
    public let endsOn: CalendarDay
    /// The warning reached the district less than `issueLeadHours` before `startsOn` began.
    public let late: Bool
    public let reason: String
    /// The id of the input behind this notice: a forecast id, or a city order id.
    public let forecastId: String
}

/// The payload of `AlertLifted`.
public struct AlertLift: Sendable, Equatable, Codable {
    public let alertId: String
    public let district: String
    public let reason: String
    /// The id of the forecast or city order that lifted it (a field added to the contract's
    /// `AlertLifted`).
    public let forecastId: String
}

/// One change to a district's warning.
public enum AlertDecision: Sendable, Equatable {
    case issued(AlertNotice)
    case upgraded(AlertNotice)
    case downgraded(AlertNotice)
    /// Same level, new dates: an episode merged with a back-to-back one, or a warning not yet in
    /// effect moved with the forecast. The contract has no event for it; the service may publish
    /// it as an added `AlertRevised` event carrying the same payload.
    case revised(AlertNotice)
    case lifted(AlertLift)

    /// The alert this decision is about.
    public var alertId: String {
        switch self {
        case let .issued(n), let .upgraded(n), let .downgraded(n), let .revised(n): n.alertId
        case let .lifted(l): l.alertId
        }
    }
}

/// Why an input changed nothing on purpose.
public struct IgnoredInput: Sendable, Equatable {
    /// `duplicate` or `out-of-order`.
    public let code: String
    public let reason: String
}

/// The result of applying one input: the decisions in order (a lift can be followed by the
/// issue of a later, separate episode), or why the input was ignored.
public struct AlertOutcome: Sendable, Equatable {
    public let decisions: [AlertDecision]
    public let ignored: IgnoredInput?

    static func ignored(_ code: String, _ reason: String) -> AlertOutcome {
        AlertOutcome(decisions: [], ignored: IgnoredInput(code: code, reason: reason))
    }
}
