/// Checks that several payload families share, built on the framework's `Check` helpers.
/// Every message names the field and the value it refused.
extension Check {
    /// Compliance and allocation years the registry accepts.
    public static let years: ClosedRange<Int> = 2000...2100
    /// Longest operator-facing sentence (`reason`) a payload may carry, as in `CommandRejected`.
    public static let maxReasonLength = 1024

    public static func year(_ value: Int, _ field: String = "year") throws(ContractError) {
        try range(value, years, field)
    }

    /// A machine code such as `insufficient-funds`: an identifier token.
    public static func code(_ value: String, _ field: String = "code") throws(ContractError) {
        try identifier(value, field)
    }

    /// A sentence an operator reads: any text, not empty, at most `maxReasonLength` bytes.
    public static func reason(_ value: String, _ field: String = "reason") throws(ContractError) {
        try nonEmpty(value, field, max: maxReasonLength)
    }

    /// A finite number within `bounds` (NaN and infinities are refused before the range).
    public static func finite(_ value: Double, in bounds: ClosedRange<Double>, _ field: String) throws(ContractError) {
        if !value.isFinite { throw .invalid("\(field) must be a finite number, got \(value)") }
        try range(value, bounds, field)
    }

    /// Largest amount of fen any payload carries (about 92 trillion CNY): head-room so that the
    /// sums a ledger forms of a few amounts (value plus fees, balance plus deposit) never overflow.
    public static let maxAmount: Int64 = Int64.max / 1000
    /// Largest quantity of allowances any payload carries (10^12 t, some 250 years of the
    /// national market), for the same reason.
    public static let maxQuantity: Int64 = 1_000_000_000_000

    /// A quantity of tonnes that moves or is ordered: positive and at most `maxQuantity`.
    public static func quantity(_ value: Int64, _ field: String = "quantity") throws(ContractError) {
        try positive(value, field)
        try atMost(value, maxQuantity, field)
    }

    /// An amount or a price in fen: positive and at most `maxAmount`.
    public static func amount(_ value: Int64, _ field: String) throws(ContractError) {
        try positive(value, field)
        try atMost(value, maxAmount, field)
    }

    /// A total or balance: zero or more, at most `max`.
    public static func tally(_ value: Int64, _ field: String, max: Int64 = maxAmount) throws(ContractError) {
        try nonNegative(value, field)
        try atMost(value, max, field)
    }

    public static func atMost(_ value: Int64, _ limit: Int64, _ field: String) throws(ContractError) {
        if value > limit { throw .invalid("\(field) must be at most \(limit), got \(value)") }
    }

    /// `quantity x price` must be representable in fen, or no one can reserve or settle it.
    public static func value(quantity: Int64, price: Int64, _ field: String = "quantity x price") throws(ContractError) {
        let (product, overflow) = quantity.multipliedReportingOverflow(by: price)
        if overflow || product > maxAmount {
            throw .invalid("\(field) (\(quantity) x \(price)) exceeds the largest amount, \(maxAmount) fen")
        }
    }

    /// An exact, unsigned decimal written as text (`0.877`, `1.05`, `12`), so that the factors
    /// behind an allocation can be audited digit for digit: digits, optionally `.` and digits.
    public static func decimal(_ value: String, _ field: String, max: Int = 40) throws(ContractError) {
        try nonEmpty(value, field, max: max)
        var sawPoint = false, digitsBefore = 0, digitsAfter = 0
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawPoint { digitsAfter += 1 } else { digitsBefore += 1 }
            case UInt8(ascii: ".") where !sawPoint:
                sawPoint = true
            default:
                throw .invalid("\(field) '\(value)' is not an unsigned decimal like 0.877")
            }
        }
        if digitsBefore == 0 || (sawPoint && digitsAfter == 0) {
            throw .invalid("\(field) '\(value)' is not an unsigned decimal like 0.877")
        }
    }

    /// Each string of a list is a non-empty text of at most `max` bytes.
    public static func texts(_ values: [String], _ field: String, max: Int = maxStringLength) throws(ContractError) {
        for (index, value) in values.enumerated() { try nonEmpty(value, "\(field)[\(index)]", max: max) }
    }
}
