import Contract
import Foundation

/// The readable end of the demo: what the services did, from what they published.
struct DemoSummary {
    var registration: RegistrationResult
    var market: MarketResult
    var ozone: OzoneResult
    var tradingDay: CivilDate
    var seconds: Double
    var adminPorts: [String: Int]

    func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let value = abs(fen)
        return "\(sign)\((value / 100).formatted()).\(String(format: "%02lld", value % 100)) CNY"
    }

    func render() -> String {
        var lines: [String] = ["================ demo summary ================"]
        let registered = registration.registered
        let national = registered.filter(\.nationalETS)
        let city = registered.filter { !$0.nationalETS }
        lines.append("Registry")
        lines.append("  entities registered          \(registered.count) of \(registration.sent) sent")
        lines.append("  national ETS power plants    \(national.count) (\(national.reduce(0) { $0 + $1.units.count }) units)")
        lines.append("  city enterprises             \(city.count) (\(city.filter(\.vocEmitter).count) VOCs emitters, \(city.filter(\.greenBenchmark).count) green benchmark)")
        lines.append("  refused with a reason        \(registration.refused.count)")
        for refusal in registration.refused.sorted(by: { $0.commandId < $1.commandId }) {
            lines.append("    - \(refusal.key ?? "?"): \(refusal.code): \(refusal.reason)")
        }
        lines.append("Allocation (benchmark method)")
        lines.append("  entities allocated           \(market.allocatedEntities) (\(market.allocationRefusals) refused)")
        lines.append("  pre-allocation (70%)         \(market.preAllocated.formatted()) t")
        lines.append("  final allocation             \(market.finalAllocated.formatted()) t (true-up \((market.finalAllocated - market.preAllocated).formatted()) t)")
        lines.append("Trading day \(tradingDay) (CEA)")
        if let session = market.session {
            lines.append("  open / close                 \(yuan(session.openPrice)) / \(yuan(session.closePrice)) (VWAP of listed trades)")
            lines.append("  high / low                   \(yuan(session.high)) / \(yuan(session.low))")
            lines.append("  volume / turnover            \(session.volume.formatted()) t / \(yuan(session.turnover))")
        }
        let byMethod = Dictionary(grouping: market.trades, by: \.method)
        lines.append("  trades                       \(market.trades.count): " + TradingMethod.allCases.map { method in
            let trades = byMethod[method] ?? []
            return "\(method.rawValue) \(trades.count) (\(trades.reduce(0) { $0 + $1.quantity }.formatted()) t)"
        }.joined(separator: ", "))
        lines.append("  orders accepted / rejected   \(market.accepted) / \(market.rejected.values.reduce(0, +))"
                     + (market.rejected.isEmpty ? "" : " (" + market.rejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"))
        lines.append("Settlement")
        let fees = market.settled.reduce(0) { $0 + $1.buyerFee + $1.sellerFee }
        lines.append("  trades settled (DvP)         \(market.settled.count) of \(market.trades.count), value \(yuan(market.settled.reduce(0) { $0 + $1.value })), fees \(yuan(fees))")
        lines.append("  deposits                     \(yuan(market.deposits))")
        lines.append("  statements issued            \(market.statements)")
        if let reconciliation = market.reconciliation {
            lines.append("  reconciliation               \(reconciliation.balanced ? "balanced to the fen" : "BREAKS: \(reconciliation.breaks.count)")")
        }
        lines.append("Compliance \(2025)")
        let counts = ComplianceStatus.allCases.map { "\($0.rawValue) \(market.compliance[$0] ?? 0)" }.joined(separator: ", ")
        lines.append("  entities assessed            \(market.compliance.values.reduce(0, +)): \(counts)")
        lines.append("  total shortfall              \(market.shortfallTonnes.formatted()) t")
        lines.append("Ozone warnings")
        for district in ["wuhou", "chenghua", "jinjiang"] {
            let events = ozone.events[district] ?? []
            lines.append("  \(district.padding(toLength: 28, withPad: " ", startingAt: 0)) \(events.isEmpty ? "no warning" : events.joined(separator: " -> "))")
        }
        let exempt = ozone.directives.filter(\.exempt).count
        lines.append("  control directives           \(ozone.directives.count) issued (\(exempt) exempt green benchmark), \(ozone.withdrawn) withdrawn")
        lines.append("Read sides")
        for (name, port) in adminPorts.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) http://127.0.0.1:\(port)/")
        }
        lines.append(String(format: "Finished in %.1f s", seconds))
        return lines.joined(separator: "\n")
    }
}
