/// The timing rules of the warning lifecycle, as configuration (defaults from RULES.md and the
/// Chengdu 2021 plan; the merge window is this service's reading of "back-to-back episodes
/// merge", see `mergeGapDays`).
public struct AlertLifecycleRules: Sendable, Equatable, Codable {
    /// Which forecast runs make which level.
    public var warning: WarningRules
    /// A day is "exceeding" when its IAQI(O3) is strictly above this; a day at or below it is
    /// light pollution or better and counts towards lifting.
    public var exceedanceAboveIAQI: Int
    /// Lift an alert that is in effect once the forecast covers at least this many hours ahead of
    /// its issue time with days at or below `exceedanceAboveIAQI` (see `ForecastOutlook`).
    public var liftAfterCleanHours: Int
    /// A warning should reach the district at least this long before 00:00 (CST) of its first
    /// exceeding day; one issued later is still issued, flagged `late`.
    public var issueLeadHours: Int
    /// Exceeding days separated by at most this many non-exceeding days belong to one episode
    /// (one alert): "a new exceeding run starting within 1 day of the alert's end" means one
    /// clean day in between. With the default of 1, a merge gap is at most 24 h, always shorter
    /// than the 36 h a lift needs, so the two rules never contradict each other. For an alert
    /// already in effect the lift rule is the one that decides: a later run continues the alert
    /// whenever the forecast clean time before it is shorter than `liftAfterCleanHours`.
    public var mergeGapDays: Int
    /// The zone of calendar days: China Standard Time.
    public var utcOffsetSeconds: Int
    /// The editions of HJ 633 used to turn forecast concentrations into IAQI, by effective date.
    public var standards: [AQIStandard]

    public init(warning: WarningRules = .chengdu2021, exceedanceAboveIAQI: Int = 150,
                liftAfterCleanHours: Int = 36, issueLeadHours: Int = 24, mergeGapDays: Int = 1,
                utcOffsetSeconds: Int = CalendarDay.chinaStandardTimeOffset,
                standards: [AQIStandard] = AQIStandard.builtIn) {
        self.warning = warning
        self.exceedanceAboveIAQI = exceedanceAboveIAQI
        self.liftAfterCleanHours = liftAfterCleanHours
        self.issueLeadHours = issueLeadHours
        self.mergeGapDays = mergeGapDays
        self.utcOffsetSeconds = utcOffsetSeconds
        self.standards = standards
    }
}
