/// Why the air-alert domain refused an input.
///
/// The `code` is stable and machine-readable (the service puts it in `CommandRejected.code`
/// and in dead-letter records); the `reason` is what an operator reads.
public struct AirAlertError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A stable, lowercase, hyphenated code such as `invalid-concentration`.
    public let code: String
    /// A sentence an operator can act on.
    public let reason: String

    public init(code: String, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }
}

extension AirAlertError {
    static func invalid(_ field: String, _ reason: String) -> AirAlertError {
        AirAlertError(code: "invalid-\(field)", reason: reason)
    }
}
