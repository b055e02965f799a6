/// A command that was understood (its envelope decoded) but refused, with the reason.
/// Emitted on the refusing service's event topic, keyed like the refused command.
public struct CommandRejected: EventPayload {
    public static let eventType: EventType = "CommandRejected"

    /// The refused envelope's id.
    public var commandId: String
    public var commandType: String
    public var code: String
    public var reason: String
    /// The partition key of the refused command, so the refusal lands beside it.
    public var key: String?

    public init(commandId: String, commandType: String, code: String, reason: String, key: String? = nil) {
        self.commandId = commandId; self.commandType = commandType; self.code = code; self.reason = reason; self.key = key
    }

    public var partitionKey: String { key ?? commandId }

    public func validate() throws(ContractError) {
        try Check.nonEmpty(commandId, "commandId", max: 64)
        try Check.nonEmpty(commandType, "commandType", max: 64)
        try Check.nonEmpty(code, "code", max: 64)
        try Check.nonEmpty(reason, "reason", max: 1024)
    }
}
