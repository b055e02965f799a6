/// The default measure table.
///
/// From RULES.md: VOCs emitters and construction sites get reduction or stop orders; the yellow
/// example is "no VOC painting, asphalt or road-marking work 8:00-18:00"; green benchmark
/// enterprises and sites are exempt at yellow and get lighter measures at orange and red. The
/// wording and the orange/red escalation below are this service's illustrative defaults
/// (unverified against the Chengdu 2021 plan's own list): an operator replaces them by
/// configuration. Enterprises that neither emit VOCs nor build get no directive at any level.
extension MeasureTable {
    public static let defaults = MeasureTable(
        yellow: Level(
            vocEmitters: Measures(
                standard: [yellowPainting, "Postpone VOC-emitting maintenance, tank cleaning and loading to night hours"],
                greenBenchmark: nil),
            constructionSites: Measures(standard: [yellowSiteWork], greenBenchmark: nil),
            otherEnterprises: Measures(standard: [], greenBenchmark: nil)),
        orange: Level(
            vocEmitters: Measures(
                standard: [allDayPainting, "Cut VOC-emitting production by 30% (unverified default)",
                           "Postpone VOC-emitting maintenance, tank cleaning and loading to night hours"],
                greenBenchmark: [yellowPainting]),
            constructionSites: Measures(standard: [allDaySiteWork], greenBenchmark: [yellowSiteWork]),
            otherEnterprises: Measures(standard: [], greenBenchmark: nil)),
        red: Level(
            vocEmitters: Measures(
                standard: [allDayPainting, "Stop VOC-emitting production processes (unverified default)"],
                greenBenchmark: [allDayPainting, "Cut VOC-emitting production by 30% (unverified default)"]),
            constructionSites: Measures(
                standard: [allDaySiteWork, "Stop outdoor work with non-road mobile machinery"],
                greenBenchmark: [allDaySiteWork]),
            otherEnterprises: Measures(standard: [], greenBenchmark: nil)))

    private static let yellowPainting = "No VOC-containing painting, spraying or coating work 8:00-18:00"
    private static let allDayPainting = "No VOC-containing painting, spraying or coating work"
    private static let yellowSiteWork = "No outdoor painting, asphalt paving or road-marking work 8:00-18:00"
    private static let allDaySiteWork = "No outdoor painting, asphalt paving or road-marking work"
}
