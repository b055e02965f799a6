/// The industry an entity reports under (contract enumeration `sector`).
///
/// `investor` is for market participants without emissions: every account holder is a
/// registered entity. The sector decides which rules apply, e.g. a power entity in the
/// national ETS must list its generating units, because its allocation is computed per unit.
public enum Sector: String, Codable, Sendable, CaseIterable, Hashable {
    case power
    case chemicals
    case furniture
    case printing
    case construction
    case investor
    case other
}
