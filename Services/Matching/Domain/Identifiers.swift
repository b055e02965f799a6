/// External identifiers as they appear in the contract (`orderId`, `accountId`, `instrument`).
///
/// They are strings at the edge; the book itself works on dense integers (`OrderRef`,
/// `AccountRef`) so that no string is hashed or compared while matching. The string ids are
/// `CodingKeyRepresentable` so that dictionaries keyed by them snapshot as JSON objects.

/// A participant's order id, unique per order (`SubmitOrder.orderId`).
public struct OrderID: RawRepresentable, Hashable, Codable, CodingKeyRepresentable, Sendable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// An account id: the registry entity id of the account's holder.
public struct AccountID: RawRepresentable, Hashable, Codable, CodingKeyRepresentable, Sendable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// A traded instrument, e.g. `CEA` (later `CCER` and vintages). One book per instrument.
public struct InstrumentID: RawRepresentable, Hashable, Codable, CodingKeyRepresentable, Sendable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// A trading day as `yyyy-MM-dd` (the contract's `tradingDay`). The engine reads no clock:
/// the day is whatever the service says it is when it opens the session.
public struct TradingDay: RawRepresentable, Hashable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// Whether the text has the `yyyy-MM-dd` shape (digits and dashes; the calendar is the
    /// service's business).
    public var isWellFormed: Bool {
        let bytes = Array(rawValue.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            return false
        }
        return bytes.indices.allSatisfy { i in
            i == 4 || i == 7 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i])
        }
    }
}

/// A trade id, deterministic so that replaying the same inputs gives the same ids:
/// instrument, trading day and the trade's sequence number within that session.
public struct TradeID: Hashable, Codable, Sendable, CustomStringConvertible {
    public var instrument: InstrumentID
    public var tradingDay: TradingDay
    public var sequence: Int64

    public init(instrument: InstrumentID, tradingDay: TradingDay, sequence: Int64) {
        self.instrument = instrument
        self.tradingDay = tradingDay
        self.sequence = sequence
    }

    /// The contract form, e.g. `CEA-2026-07-16-000042`.
    public var description: String {
        let digits = String(sequence)
        let padding = String(repeating: "0", count: max(0, 6 - digits.count))
        return "\(instrument.rawValue)-\(tradingDay.rawValue)-\(padding)\(digits)"
    }
}

/// A dense integer standing for an order inside one instrument's book (its slot in the
/// instrument's order table). The hot path passes these instead of `OrderID` strings.
public struct OrderRef: RawRepresentable, Hashable, Codable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
}

/// A dense integer standing for an account (interned by the engine), used by the book's
/// self-trade check.
public struct AccountRef: RawRepresentable, Hashable, Codable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
}
