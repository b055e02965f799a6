/// The payload of `ControlDirectiveIssued`: what one enterprise must do under one alert level.
public struct ControlDirective: Sendable, Equatable, Codable {
    /// `<alertId>/<level>/<entityId>`: deterministic, so a replayed decision yields the same id
    /// and downstream inboxes drop the copy; distinct per level, so an upgrade is a new directive.
    public let directiveId: String
    public let alertId: String
    public let entityId: String
    public let district: String
    public let level: AlertLevel
    /// A green benchmark exempt at this level: informed, with no measures.
    public let exempt: Bool
    public let measures: [String]

    static func id(alertId: String, level: AlertLevel, entityId: String) -> String {
        "\(alertId)/\(level.rawValue)/\(entityId)"
    }
}

/// The end of a directive: its alert was lifted, or a new level superseded it. The contract has
/// no event for this; the service may publish it as an added `ControlDirectiveWithdrawn`.
public struct DirectiveWithdrawal: Sendable, Equatable, Codable {
    public let directiveId: String
    public let alertId: String
    public let entityId: String
    public let district: String
    public let reason: String
}

/// What to publish after one alert decision.
public struct DirectivePlan: Sendable, Equatable {
    public let issued: [ControlDirective]
    public let withdrawn: [DirectiveWithdrawal]
}

extension MeasureTable {
    /// The directive for one enterprise at one level, or `nil` when the table does not target
    /// it (see `MeasureTable`).
    public func directive(for enterprise: Enterprise, alertId: String, level: AlertLevel) -> ControlDirective? {
        guard enterprise.sector != .investor else { return nil }
        let table = measures(at: level)
        var groups: [Measures] = []
        if enterprise.sector == .construction { groups.append(table.constructionSites) }
        if enterprise.vocEmitter { groups.append(table.vocEmitters) }
        if groups.isEmpty { groups.append(table.otherEnterprises) }

        let targeting = groups.filter { !$0.standard.isEmpty }
        guard !targeting.isEmpty else { return nil }
        var measures: [String] = []
        for group in targeting {
            let list = enterprise.greenBenchmark ? group.greenBenchmark ?? [] : group.standard
            measures += list.filter { !measures.contains($0) }
        }
        return ControlDirective(
            directiveId: ControlDirective.id(alertId: alertId, level: level, entityId: enterprise.entityId),
            alertId: alertId, entityId: enterprise.entityId, district: enterprise.district,
            level: level, exempt: measures.isEmpty, measures: measures)
    }
}
