import AirAlertDomain
import Contract
import Foundation
import GRDB
import ServiceRuntime

/// Turns one district's `AlertOutcome` into what the service publishes and records.
///
/// For each decision, in order: the alert event (`AlertIssued`, `AlertUpgraded`,
/// `AlertDowngraded`, `AlertRevised`, `AlertLifted`), then the withdrawals of superseded
/// directives, then the directives of the new level, all on `air.alerts` keyed by the district.
/// The ledger decides which directives; this type only maps them to the wire and records them.
struct DecisionPublisher: Sendable {
    let measures: MeasureTable

    func publish(_ outcome: AlertOutcome, record: inout DistrictRecord, context: inout HandlerContext) throws {
        let district = record.state.district
        let inputId = context.input.id.lowercasedString
        if let ignored = outcome.ignored {
            try DistrictRecords.appendHistory(context.db, HistoryEntry(
                district: district, recordedAt: context.now, kind: "ignored-\(ignored.code)", reason: ignored.reason,
                cause: "", inputId: inputId))
        }
        guard !outcome.decisions.isEmpty else { return }
        let enterprises = try EnterpriseProjection.enterprises(context.db, district: district)
        for decision in outcome.decisions {
            let entry = emitAlert(decision, inputId: inputId, context: &context)
            try DistrictRecords.appendHistory(context.db, entry)
            let plan = record.ledger.apply(decision, enterprises: enterprises, table: measures)
            for withdrawal in plan.withdrawn {
                let event = ControlDirectiveWithdrawn(
                    directiveId: WireID.directive(withdrawal.directiveId, alertId: withdrawal.alertId),
                    alertId: WireID.alert(withdrawal.alertId), entityId: withdrawal.entityId,
                    district: withdrawal.district, reason: withdrawal.reason.clipped())
                context.emit(event, to: .airAlerts)
                try DirectiveRecords.withdraw(context.db, directiveId: event.directiveId, reason: event.reason,
                                              at: context.now)
            }
            for directive in plan.issued {
                let event = ControlDirectiveIssued(
                    directiveId: WireID.directive(directive.directiveId, alertId: directive.alertId),
                    alertId: WireID.alert(directive.alertId), entityId: directive.entityId,
                    district: directive.district, level: ContractMapping.level(directive.level),
                    exempt: directive.exempt, measures: directive.measures)
                context.emit(event, to: .airAlerts)
                try DirectiveRecords.issue(context.db, event, at: context.now)
            }
        }
    }

    /// Emits the decision's alert event and returns its history line.
    private func emitAlert(_ decision: AlertDecision, inputId: String, context: inout HandlerContext) -> HistoryEntry {
        switch decision {
        case let .lifted(lift):
            let event = AlertLifted(alertId: WireID.alert(lift.alertId), district: lift.district,
                                    reason: nonEmpty(lift.reason).clipped(), forecastId: lift.forecastId)
            context.emit(event, to: .airAlerts)
            return HistoryEntry(district: lift.district, recordedAt: context.now, kind: "lifted", alertId: event.alertId,
                                reason: event.reason, cause: lift.forecastId, inputId: inputId)
        case let .issued(notice):
            return publish(AlertIssued.self, "issued", notice, inputId: inputId, context: &context)
        case let .upgraded(notice):
            return publish(AlertUpgraded.self, "upgraded", notice, inputId: inputId, context: &context)
        case let .downgraded(notice):
            return publish(AlertDowngraded.self, "downgraded", notice, inputId: inputId, context: &context)
        case let .revised(notice):
            return publish(AlertRevised.self, "revised", notice, inputId: inputId, context: &context)
        }
    }

    /// Emits `notice` as the alert event `type` and returns its history entry.
    private func publish<Event: AlertNoticePayload>(_ type: Event.Type, _ kind: String, _ notice: AlertNotice,
                                                    inputId: String, context: inout HandlerContext) -> HistoryEntry {
        let event = Event(alertId: WireID.alert(notice.alertId), district: notice.district,
                          level: ContractMapping.level(notice.level), startsOn: ContractMapping.civil(notice.startsOn),
                          endsOn: ContractMapping.civil(notice.endsOn), late: notice.late,
                          reason: nonEmpty(notice.reason).clipped(), forecastId: notice.forecastId)
        context.emit(event, to: .airAlerts)
        return entry(kind, WireID.alert(notice.alertId), notice, inputId: inputId, context: context)
    }

    private func entry(_ kind: String, _ alertId: String, _ notice: AlertNotice, inputId: String,
                       context: HandlerContext) -> HistoryEntry {
        HistoryEntry(district: notice.district, recordedAt: context.now, kind: kind, alertId: alertId,
                     level: ContractMapping.level(notice.level), startsOn: ContractMapping.civil(notice.startsOn),
                     endsOn: ContractMapping.civil(notice.endsOn), late: notice.late,
                     reason: nonEmpty(notice.reason).clipped(), cause: notice.forecastId, inputId: inputId)
    }

    /// The contract requires a reason; the domain always gives one, this guards the wire anyway.
    private func nonEmpty(_ reason: String) -> String {
        reason.isEmpty ? "no reason given" : reason
    }
}
