import Contract
import Foundation

/// The readable end of the demo: what the services did, from what they published.
struct DemoSummary {
    var registration: RegistrationResult
    var seconds: Double
    var registryAdminPort: Int?

    func render() -> String {
        var lines: [String] = []
        lines.append("================ demo summary ================")
        let registered = registration.registered
        let national = registered.filter(\.nationalETS)
        let units = national.reduce(0) { $0 + $1.units.count }
        let capacity = national.reduce(Int64(0)) { $0 + $1.units.reduce(0) { $0 + $1.capacityMW } }
        lines.append("Registry")
        lines.append("  entities registered          \(registered.count) of \(registration.sent) sent")
        lines.append("  national ETS power plants    \(national.count) (\(units) units, \(capacity.formatted()) MW)")
        let city = registered.filter { !$0.nationalETS }
        lines.append("  city enterprises             \(city.count) (\(city.filter(\.vocEmitter).count) VOCs emitters, \(city.filter(\.greenBenchmark).count) green benchmark)")
        lines.append("  refused with a reason        \(registration.refused.count)")
        for refusal in registration.refused.sorted(by: { $0.commandId < $1.commandId }) {
            lines.append("    - \(refusal.key ?? "?"): \(refusal.code): \(refusal.reason)")
        }
        let bySector = Dictionary(grouping: registered, by: \.sector.rawValue).mapValues(\.count)
        lines.append("  by sector                    " + bySector.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        if let port = registryAdminPort {
            lines.append("  read side                    http://127.0.0.1:\(port)/entities")
        }
        lines.append(String(format: "Finished in %.1f s", seconds))
        return lines.joined(separator: "\n")
    }
}
