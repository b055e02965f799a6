/// Why a record or command was refused, in a form both machines and operators read.
///
/// `code` is a stable kebab-case token for dashboards and tests; `reason` is the sentence an
/// operator reads in `CommandRejected` and in the dead-letter topic.
public struct ContractError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var reason: String

    public init(code: String, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }

    public static func invalid(_ reason: String) -> ContractError {
        ContractError(code: "invalid-field", reason: reason)
    }
}
