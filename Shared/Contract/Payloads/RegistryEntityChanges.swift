/// Changes an entity's registry record. Carries the full profile, like `RegisterEntity`, so the
/// registry replaces the record rather than merging fields (a field left out is not "unchanged").
public struct UpdateEntity: EventPayload {
    public static let eventType: EventType = "UpdateEntity"
    public var profile: EntityProfile
    public init(_ profile: EntityProfile) { self.profile = profile }
    public var partitionKey: String { profile.entityId }
    public func validate() throws(ContractError) { try profile.validate() }
    public init(from decoder: any Decoder) throws { profile = try EntityProfile(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try profile.encode(to: encoder) }
}

/// An entity's record was replaced: the same fields as the command.
public struct EntityUpdated: EventPayload {
    public static let eventType: EventType = "EntityUpdated"
    public var profile: EntityProfile
    public init(_ profile: EntityProfile) { self.profile = profile }
    public var partitionKey: String { profile.entityId }
    public func validate() throws(ContractError) { try profile.validate() }
    public init(from decoder: any Decoder) throws { profile = try EntityProfile(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try profile.encode(to: encoder) }
}

/// Removes an entity from the registry (it closed, merged, or left the national market).
public struct DeregisterEntity: EventPayload {
    public static let eventType: EventType = "DeregisterEntity"
    public var entityId: String
    public var reason: String

    public init(entityId: String, reason: String) {
        self.entityId = entityId; self.reason = reason
    }

    public var partitionKey: String { entityId }

    public func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try Check.reason(reason)
    }
}

/// An entity was removed from the registry: the same fields as the command.
public struct EntityDeregistered: EventPayload {
    public static let eventType: EventType = "EntityDeregistered"
    public var entityId: String
    public var reason: String

    public init(entityId: String, reason: String) {
        self.entityId = entityId; self.reason = reason
    }

    public var partitionKey: String { entityId }

    public func validate() throws(ContractError) {
        try Check.identifier(entityId, "entityId")
        try Check.reason(reason)
    }
}
