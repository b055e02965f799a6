/// Why the registry refused a command, in the two forms its readers need.
///
/// `code` is a stable kebab-case machine code (clients branch on it, metrics count it);
/// `reason` is the sentence an operator reads in `CommandRejected`, `FreezeRejected` and the
/// dead-letter topic. Every refusal in this module is one of these, so the service can turn
/// any domain failure into an event without a mapping table.
public struct RegistryRefusal: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    /// Kebab-case machine code, e.g. `insufficient-sellable-allowances`.
    public let code: String
    /// Human-readable explanation with the offending values.
    public let reason: String

    public init(code: String, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }
}

/// The machine codes this module emits, named so callers and tests need no string literals.
///
/// A namespace of constants rather than an enum: new codes can be added without breaking
/// anyone who switches over them.
public enum RefusalCode {
    // Registration
    public static let invalidEntityID = "invalid-entity-id"
    public static let invalidName = "invalid-name"
    public static let invalidDistrict = "invalid-district"
    public static let invalidCreditCode = "invalid-credit-code"
    public static let invalidUnit = "invalid-unit"
    public static let duplicateUnit = "duplicate-unit"
    public static let missingUnits = "missing-units"
    public static let unknownPilotMarket = "unknown-pilot-market"
    public static let nationalAndPilot = "national-and-pilot-market"

    // Allocation
    public static let invalidOutput = "invalid-unit-output"
    public static let unknownUnit = "unknown-unit"
    public static let duplicateOutput = "duplicate-unit-output"
    public static let missingOutput = "missing-unit-output"
    public static let invalidRules = "invalid-allocation-rules"

    // Ledger
    public static let invalidQuantity = "invalid-quantity"
    public static let invalidReference = "invalid-reference"
    public static let invalidInstrument = "invalid-instrument"
    public static let unknownAccount = "unknown-account"
    public static let insufficientAllowances = "insufficient-allowances"
    public static let insufficientSellable = "insufficient-sellable-allowances"
    public static let unknownHold = "unknown-hold"
    public static let duplicateHold = "duplicate-hold"
    public static let holdMismatch = "hold-mismatch"
    public static let exceedsHold = "exceeds-hold"
    public static let duplicateTrade = "duplicate-trade"
    public static let duplicateReference = "duplicate-reference"
    public static let staleTradingDay = "stale-trading-day"
    public static let invalidJournal = "invalid-journal"
    /// A stored ledger snapshot whose parts disagree; the service replays the whole journal instead.
    public static let invalidSnapshot = "invalid-snapshot"

    // Compliance
    public static let offsetCapExceeded = "ccer-cap-exceeded"
    public static let offsetCapUnknown = "ccer-cap-unknown"
    public static let invalidEmissions = "invalid-emissions"
}
