import Contract
import Foundation

/// The ids the service publishes for alerts and directives.
///
/// The domain names an alert `<district>-<n>` and a directive `<alertId>/<level>/<entityId>`.
/// The contract wants identifiers (letters, digits and `. _ : -`, at most 64 bytes), and district
/// names are often Chinese (`锦江区`) while a directive id joins three ids. So an id the contract
/// accepts is published as it is (with `/` written as `:`), and any other is replaced by a
/// name-based UUID of the domain id. Both are pure functions of the domain id: a replayed
/// decision publishes the same ids.
enum WireID {
    static func alert(_ domainAlertId: String) -> String {
        if isIdentifier(domainAlertId) { return domainAlertId }
        return "alert-" + DeterministicID.nameBased("air-alert/alert/\(domainAlertId)").lowercasedString
    }

    /// - Parameters:
    ///   - domainDirectiveId: `<alertId>/<level>/<entityId>` as the domain's ledger names it.
    ///   - domainAlertId: the alert it belongs to (a prefix of the directive id).
    static func directive(_ domainDirectiveId: String, alertId domainAlertId: String) -> String {
        let prefix = domainAlertId + "/"
        let rest = domainDirectiveId.hasPrefix(prefix)
            ? String(domainDirectiveId.dropFirst(prefix.count)) : domainDirectiveId
        let candidate = alert(domainAlertId) + ":" + rest.replacingOccurrences(of: "/", with: ":")
        if isIdentifier(candidate) { return candidate }
        return "directive-" + DeterministicID.nameBased("air-alert/directive/\(domainDirectiveId)").lowercasedString
    }

    static func isIdentifier(_ value: String) -> Bool {
        do {
            try Check.identifier(value, "id")
            return true
        } catch {
            return false
        }
    }
}
