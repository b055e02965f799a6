/// The enumerations of DESIGN.md section 4. Raw values are the wire values and never change.
public enum Sector: String, ContractEnum {
    case power, chemicals, furniture, printing, construction, investor, other
}

public enum UnitCategory: String, ContractEnum {
    case coalAbove300MW = "coal-above-300mw"
    case coal300MWOrBelow = "coal-300mw-or-below"
    case coalUnconventional = "coal-unconventional"
    case gas
}

public enum Cooling: String, ContractEnum {
    case water, air
}

public enum Side: String, ContractEnum {
    case buy, sell
}

public enum TradingMethod: String, ContractEnum {
    case listed, block, auction
}

public enum AlertLevel: String, ContractEnum {
    case yellow, orange, red
}

public enum ComplianceStatus: String, ContractEnum {
    case compliant, shortfall, pending
}

public enum AllocationPhase: String, ContractEnum {
    case pre, final
}

/// A traded or surrendered instrument (`CEA`, `CCER`, later vintages such as `CEA-2025`).
/// Kept open rather than an enum because new instruments and vintages are listed over time.
public struct Instrument: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let cea: Instrument = "CEA"
    public static let ccer: Instrument = "CCER"

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Upper-case letters, digits and dashes, at most 32 characters.
    public func validate(_ field: String = "instrument") throws(ContractError) {
        try Check.nonEmpty(rawValue, field, max: 32)
        for scalar in rawValue.unicodeScalars {
            switch scalar {
            case "A"..."Z", "0"..."9", "-": continue
            default: throw .invalid("\(field) '\(rawValue)' must be upper-case letters, digits and dashes, like CEA")
            }
        }
    }
}
