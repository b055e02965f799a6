import Testing
@testable import AirAlertDomain

@Suite struct AssessmentTests {
    @Test func bandBoundaries() {
        let cases: [(Int, AQIBand, Int)] = [
            (0, .excellent, 1), (50, .excellent, 1), (51, .good, 2), (100, .good, 2),
            (101, .light, 3), (150, .light, 3), (151, .moderate, 4), (200, .moderate, 4),
            (201, .heavy, 5), (300, .heavy, 5), (301, .severe, 6), (500, .severe, 6),
        ]
        for (aqi, band, level) in cases {
            #expect(AQIBand(aqi: aqi) == band, "AQI \(aqi)")
            #expect(AQIBand(aqi: aqi).level == level)
        }
    }

    /// The same boundaries reached through the index: O3 1-hour values that give exactly
    /// 50/51, 100/101, 150/151, 200/201, 300/301.
    @Test func bandBoundariesThroughTheIndex() throws {
        let cases: [(Int, Int, AQIBand)] = [
            (160, 50, .excellent), (161, 52, .good), (200, 100, .good), (201, 101, .light),
            (300, 150, .light), (301, 151, .moderate), (400, 200, .moderate), (401, 201, .heavy),
            (800, 300, .heavy), (801, 301, .severe),
        ]
        for (c, aqi, band) in cases {
            let a = try AQIStandard.hj633_2012.assess(AQIReading(o3OneHour: ug(c)))
            #expect(a.aqi == aqi)
            #expect(a.band == band)
        }
    }

    @Test func o3IndexIsTheLargerOfOneHourAndEightHour() throws {
        let a = try AQIStandard.hj633_2012.assess(AQIReading(o3OneHour: ug(180), o3EightHour: ug(220)))
        #expect(a.subIndices.map(\.iaqi) == [75, 155])
        #expect(a.o3Index == 155)
        #expect(a.aqi == 155)
        #expect(a.primaryPollutants == [.o3EightHour])
    }

    @Test func above800Under2012TheOneHourIndexIsReported() throws {
        let a = try AQIStandard.hj633_2012.assess(AQIReading(o3OneHour: ug(900), o3EightHour: ug(850)))
        #expect(a.subIndices.map(\.iaqi) == [350, nil])
        #expect(a.o3Index == 350)
        #expect(a.aqi == 350)
        #expect(a.band == .severe)
        #expect(a.primaryPollutants == [.o3OneHour])
    }

    @Test func above800Under2026TheEightHourIsCapped() throws {
        let a = try AQIStandard.hj633_2026.assess(AQIReading(o3OneHour: ug(700), o3EightHour: ug(850)))
        #expect(a.subIndices.map(\.iaqi) == [275, 300])
        #expect(a.o3Index == 300)
        #expect(a.primaryPollutants == [.o3EightHour])
    }

    @Test func noPrimaryPollutantWhenAQIIsAtMost50() throws {
        let a = try AQIStandard.hj633_2012.assess(AQIReading(o3OneHour: ug(160), o3EightHour: ug(100)))
        #expect(a.aqi == 50)
        #expect(a.primaryPollutants.isEmpty)
    }

    @Test func tiedPollutantsAreAllPrimary() throws {
        let a = try AQIStandard.hj633_2012.assess(AQIReading(o3EightHour: ug(160), pm25: ug(75), no2TwentyFourHour: ug(80)))
        #expect(a.aqi == 100)
        #expect(a.primaryPollutants == [.o3EightHour, .pm25, .no2TwentyFourHour])
    }

    @Test func nothingIndexableIsAnError() {
        #expect(throws: AirAlertError.self) {
            try AQIStandard.hj633_2012.assess(AQIReading(o3EightHour: ug(900)))
        }
        #expect(throws: AirAlertError.self) { try AQIStandard.hj633_2012.assess(AQIReading()) }
    }

    @Test func reportRendersEveryIndexTheBandAndThePrimaryPollutant() throws {
        let report = try IndexReport(o3OneHour: 180, o3EightHour: 220)
        #expect(report.render() == """
            standard   HJ 633-2012 (hj633-2012, effective 2016-01-01)
            O3 1-hour  180 ug/m3 -> IAQI 75
            O3 8-hour  220 ug/m3 -> IAQI 155
            O3 index   155 (the larger of the O3 1-hour and 8-hour IAQIs)
            AQI        155, level 4 moderate (中度污染)
            primary    O3 8-hour
            """)
    }

    @Test func reportExplainsTheOver800Rule() throws {
        let old = try IndexReport(o3OneHour: 900, o3EightHour: 850, standardId: "hj633-2012").render()
        #expect(old.contains("O3 8-hour  850 ug/m3 -> not indexed (above 800 ug/m3)"))
        #expect(old.contains("O3 index   350 (the O3 1-hour IAQI: the 8-hour value is not indexed above 800 ug/m3)"))
        let new = try IndexReport(o3OneHour: 700, o3EightHour: 850, standardId: "hj633-2026").render()
        #expect(new.contains("O3 8-hour  850 ug/m3 -> IAQI 300"))
        #expect(new.contains("level 5 heavy (重度污染)"))
    }

    @Test func reportOfACleanReadingHasNoPrimaryPollutant() throws {
        let text = try IndexReport(o3OneHour: 100, o3EightHour: 60.5).render()
        #expect(text.contains("O3 8-hour  60.5 ug/m3 -> IAQI 31"))
        #expect(text.hasSuffix("primary    none (AQI <= 50)"))
    }

    @Test func reportRejectsBadInput() {
        #expect(throws: AirAlertError.self) { try IndexReport(o3OneHour: -1, o3EightHour: 10) }
        #expect(throws: AirAlertError.self) { try IndexReport(o3OneHour: 1, o3EightHour: 10, standardId: "x") }
    }
}
