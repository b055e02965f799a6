/// A machine-readable reason code (lowercase-kebab), e.g. `price-outside-band`.
///
/// A struct around a string rather than an enum so that adding a code is not a breaking change,
/// and so that a hold's own code (from the registry or settlement) passes through unchanged.
public struct RejectionCode: RawRepresentable, Hashable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    // Session and phase
    public static let sessionClosed: RejectionCode = "session-closed"
    public static let methodNotEnabled: RejectionCode = "method-not-enabled"
    public static let sessionAlreadyOpen: RejectionCode = "session-already-open"
    public static let noReferencePrice: RejectionCode = "no-reference-price"
    public static let invalidTradingDay: RejectionCode = "invalid-trading-day"
    public static let tradingDayMismatch: RejectionCode = "trading-day-mismatch"
    // Price and size
    public static let invalidPrice: RejectionCode = "invalid-price"
    public static let invalidQuantity: RejectionCode = "invalid-quantity"
    public static let priceNotOnTick: RejectionCode = "price-not-on-tick"
    public static let quantityNotOnLot: RejectionCode = "quantity-not-on-lot"
    public static let priceOutsideBand: RejectionCode = "price-outside-band"
    public static let listedQuantityTooLarge: RejectionCode = "listed-quantity-too-large"
    public static let blockQuantityTooSmall: RejectionCode = "block-quantity-too-small"
    public static let priceRangeTooWide: RejectionCode = "price-range-too-wide"
    // Counterparties
    public static let selfTrade: RejectionCode = "self-trade"
    public static let missingCounterparty: RejectionCode = "missing-counterparty"
    public static let counterpartyIsSelf: RejectionCode = "counterparty-is-self"
    // Auctions
    public static let auctionAlreadyOpen: RejectionCode = "auction-already-open"
    public static let noAuctionOpen: RejectionCode = "no-auction-open"
    public static let belowFloorPrice: RejectionCode = "below-floor-price"
    public static let auctionSideNotAllowed: RejectionCode = "auction-side-not-allowed"
    // Order identity (command-level refusals, never an OrderRejected)
    public static let duplicateOrderID: RejectionCode = "duplicate-order-id"
    public static let unknownOrder: RejectionCode = "unknown-order"
    public static let notOrderOwner: RejectionCode = "not-order-owner"
    public static let orderNotOpen: RejectionCode = "order-not-open"
    public static let instrumentMismatch: RejectionCode = "instrument-mismatch"
}

/// A refusal: the machine code and the sentence an operator reads.
public struct Rejection: Equatable, Codable, Sendable, Error, CustomStringConvertible {
    public var code: RejectionCode
    public var reason: String

    public init(_ code: RejectionCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }
}
