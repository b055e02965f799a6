/// Why settlement refused an operation, in the two forms its readers need.
///
/// `code` is a stable kebab-case machine code (clients branch on it, metrics count it);
/// `reason` is the sentence an operator reads in `ReserveRejected`, `CommandRejected` and the
/// dead-letter topic, with the offending values. Every refusal in this module is one of these,
/// and a refused operation changes nothing.
public struct SettlementRefusal: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    /// Kebab-case machine code, e.g. `insufficient-funds`; see `SettlementRefusal.Code`.
    public let code: String
    /// Human-readable explanation with the offending values.
    public let reason: String

    public init(code: String, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }
}

extension SettlementRefusal {
    /// The machine codes this module emits, named so callers and tests need no string literals.
    ///
    /// A namespace of constants rather than an enum: new codes can be added without breaking
    /// anyone who switches over them.
    public enum Code {
        // Inputs
        public static let invalidAmount = "invalid-amount"
        public static let invalidQuantity = "invalid-quantity"
        public static let invalidPrice = "invalid-price"
        public static let invalidFeeRate = "invalid-fee-rate"
        public static let invalidAccount = "invalid-account"
        public static let invalidReference = "invalid-reference"
        public static let invalidRules = "invalid-rules"
        public static let limitExceeded = "funds-limit-exceeded"
        // Accounts and funds
        public static let unknownAccount = "unknown-account"
        public static let insufficientFunds = "insufficient-funds"
        public static let insufficientWithdrawable = "insufficient-withdrawable-funds"
        public static let duplicateReference = "duplicate-reference"
        // Reservations
        public static let duplicateReservation = "duplicate-reservation"
        public static let unknownReservation = "unknown-reservation"
        public static let reservationMismatch = "reservation-mismatch"
        public static let reservationClosed = "reservation-closed"
        public static let exceedsReservation = "exceeds-reservation"
        public static let priceAboveLimit = "price-above-limit"
        // Trades and days
        public static let duplicateTrade = "duplicate-trade"
        public static let staleTradingDay = "stale-trading-day"
        public static let invalidJournal = "invalid-journal"
        /// A stored ledger snapshot whose parts disagree; the service replays the whole journal instead.
        public static let invalidSnapshot = "invalid-snapshot"
    }

    static func invalid(_ code: String, _ reason: String) -> SettlementRefusal {
        SettlementRefusal(code: code, reason: reason)
    }
}
