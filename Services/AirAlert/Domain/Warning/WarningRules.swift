/// The warning-level criteria, as configuration (the Chengdu 2021 ozone plan by default).
///
/// Each level is "a run of consecutive days whose IAQI(O3) is above a threshold, at least N days
/// long, optionally with at least M of those days above a higher peak threshold". The plan
/// revises these numbers, so they live here and not in the evaluator.
public struct WarningRules: Sendable, Equatable, Codable {
    /// The criterion for one level.
    public struct LevelRule: Sendable, Equatable, Codable {
        public var level: AlertLevel
        /// A day counts when its IAQI is strictly above this (so exactly 150 does not count).
        public var aboveIAQI: Int
        /// How many consecutive counting days make the level.
        public var minConsecutiveDays: Int
        /// When set, at least `minPeakDays` days of the run must also be strictly above this.
        public var peakAboveIAQI: Int?
        public var minPeakDays: Int

        public init(level: AlertLevel, aboveIAQI: Int, minConsecutiveDays: Int,
                    peakAboveIAQI: Int? = nil, minPeakDays: Int = 0) {
            self.level = level
            self.aboveIAQI = aboveIAQI
            self.minConsecutiveDays = minConsecutiveDays
            self.peakAboveIAQI = peakAboveIAQI
            self.minPeakDays = minPeakDays
        }
    }

    /// One rule per level; when several hold, the highest level wins.
    public var levels: [LevelRule]

    public init(levels: [LevelRule]) {
        self.levels = levels
    }

    /// Chengdu 2021: yellow: IAQI > 150 on >= 3 consecutive days; orange: IAQI > 150 on >= 4
    /// consecutive days with > 200 on at least 1 of them; red: IAQI > 200 on >= 3 consecutive days.
    public static let chengdu2021 = WarningRules(levels: [
        LevelRule(level: .yellow, aboveIAQI: 150, minConsecutiveDays: 3),
        LevelRule(level: .orange, aboveIAQI: 150, minConsecutiveDays: 4, peakAboveIAQI: 200, minPeakDays: 1),
        LevelRule(level: .red, aboveIAQI: 200, minConsecutiveDays: 3),
    ])
}
