/// What a holding is denominated in: national allowances or certified offsets.
///
/// Kept apart in every account because they are not interchangeable: only CEA trade on the
/// national market, and CCER count toward compliance only up to a cap.
public enum Instrument: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Hashable, Comparable {
    /// China Emission Allowance, one tonne of CO2.
    case cea = "CEA"
    /// China Certified Emission Reduction (offset), one tonne of CO2.
    case ccer = "CCER"

    public static func < (lhs: Instrument, rhs: Instrument) -> Bool { lhs.rawValue < rhs.rawValue }
}
