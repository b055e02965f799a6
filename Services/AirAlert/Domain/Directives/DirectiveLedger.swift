/// The control directives in force in one district, as a value the service stores beside the
/// district's `DistrictAlertState`.
///
/// Why keep them rather than recompute: the enterprises of a district change between an alert's
/// issue and its lift, and a withdrawal must name exactly the directives that were sent.
public struct DirectiveLedger: Sendable, Equatable, Codable {
    public let district: String
    /// Ordered by entity id.
    public private(set) var active: [ControlDirective]

    public init(district: String) {
        self.district = district
        active = []
    }

    /// The directives one alert decision calls for.
    ///
    /// - issued: one directive per targeted enterprise of the district.
    /// - upgraded / downgraded: new directives at the new level; every directive in force is
    ///   withdrawn (superseded), because its measures belong to the old level.
    /// - revised (dates only): nothing; the measures do not depend on dates.
    /// - lifted: every directive of the alert is withdrawn.
    ///
    /// Enterprises of other districts are ignored; they are sorted by `entityId`, so the plan
    /// does not depend on the order the registry projection returns them in.
    public mutating func apply(_ decision: AlertDecision, enterprises: [Enterprise],
                               table: MeasureTable = .defaults) -> DirectivePlan {
        switch decision {
        case let .issued(notice):
            let issued = directives(notice, enterprises, table)
            let withdrawn = withdrawAll(reason: "superseded by alert \(notice.alertId)")
            active = issued
            return DirectivePlan(issued: issued, withdrawn: withdrawn)
        case let .upgraded(notice), let .downgraded(notice):
            let issued = directives(notice, enterprises, table)
            let withdrawn = withdrawAll(reason: "superseded: alert \(notice.alertId) is now \(notice.level.rawValue)")
            active = issued
            return DirectivePlan(issued: issued, withdrawn: withdrawn)
        case .revised:
            return DirectivePlan(issued: [], withdrawn: [])
        case let .lifted(lift):
            let withdrawn = active.filter { $0.alertId == lift.alertId }.map {
                withdrawal($0, reason: "alert \(lift.alertId) lifted: \(lift.reason)")
            }
            active.removeAll { $0.alertId == lift.alertId }
            return DirectivePlan(issued: [], withdrawn: withdrawn)
        }
    }

    private func directives(_ notice: AlertNotice, _ enterprises: [Enterprise],
                            _ table: MeasureTable) -> [ControlDirective] {
        var seen = Set<String>()
        return enterprises
            .filter { $0.district == district && $0.district == notice.district }
            .sorted { $0.entityId < $1.entityId }
            .filter { seen.insert($0.entityId).inserted } // one directive per entity
            .compactMap { table.directive(for: $0, alertId: notice.alertId, level: notice.level) }
    }

    private func withdrawAll(reason: String) -> [DirectiveWithdrawal] {
        active.map { withdrawal($0, reason: reason) }
    }

    private func withdrawal(_ directive: ControlDirective, reason: String) -> DirectiveWithdrawal {
        DirectiveWithdrawal(directiveId: directive.directiveId, alertId: directive.alertId,
                            entityId: directive.entityId, district: directive.district, reason: reason)
    }
}
