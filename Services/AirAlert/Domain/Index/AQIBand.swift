/// The six AQI categories of HJ 633 (the "level" an air-quality report shows), by AQI:
/// 0-50 excellent, 51-100 good, 101-150 light, 151-200 moderate, 201-300 heavy, > 300 severe.
///
/// Encoded as the lowercase name, as every enumeration in the contract is.
public enum AQIBand: String, Sendable, Codable, CaseIterable, Comparable {
    case excellent, good, light, moderate, heavy, severe

    /// The band of an AQI value (negative values are treated as 0).
    public init(aqi: Int) {
        switch aqi {
        case ...50: self = .excellent
        case 51...100: self = .good
        case 101...150: self = .light
        case 151...200: self = .moderate
        case 201...300: self = .heavy
        default: self = .severe
        }
    }

    /// The level number 1...6 used in Chinese reports (一级 ... 六级).
    public var level: Int { (Self.allCases.firstIndex(of: self) ?? 0) + 1 }

    /// The official Chinese category name.
    public var chineseName: String {
        switch self {
        case .excellent: "优"
        case .good: "良"
        case .light: "轻度污染"
        case .moderate: "中度污染"
        case .heavy: "重度污染"
        case .severe: "严重污染"
        }
    }

    public static func < (lhs: AQIBand, rhs: AQIBand) -> Bool { lhs.level < rhs.level }
}
