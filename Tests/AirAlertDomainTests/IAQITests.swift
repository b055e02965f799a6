import Foundation
import Testing
@testable import AirAlertDomain

@Suite struct IAQITests {
    /// (concentration, expected IAQI) at, just below and just above every O3 1-hour breakpoint.
    static let o3OneHour: [(Int, Int)] = [
        (0, 0), (1, 1),
        (159, 50), (160, 50), (161, 52),
        (199, 99), (200, 100), (201, 101),
        (299, 150), (300, 150), (301, 151),
        (399, 200), (400, 200), (401, 201),
        (799, 300), (800, 300), (801, 301),
        (999, 400), (1000, 400), (1001, 401),
        (1199, 500), (1200, 500), (1201, 500), (2000, 500),
    ]

    /// The same for the O3 8-hour table up to its last breakpoint (800).
    static let o3EightHour: [(Int, Int)] = [
        (0, 0), (1, 1),
        (99, 50), (100, 50), (101, 51),
        (159, 100), (160, 100), (161, 101),
        (214, 150), (215, 150), (216, 151),
        (264, 199), (265, 200), (266, 201),
        (799, 300), (800, 300),
    ]

    @Test(arguments: AQIStandard.builtIn)
    func o3OneHourAroundEveryBreakpoint(standard: AQIStandard) {
        for (c, expected) in Self.o3OneHour {
            #expect(standard.subIndex(.o3OneHour, ug(c)) == expected, "O3 1h \(c) under \(standard.id)")
        }
    }

    @Test(arguments: AQIStandard.builtIn)
    func o3EightHourAroundEveryBreakpoint(standard: AQIStandard) {
        for (c, expected) in Self.o3EightHour {
            #expect(standard.subIndex(.o3EightHour, ug(c)) == expected, "O3 8h \(c) under \(standard.id)")
        }
    }

    /// Floating point gives 50/55 x 55 + 100 = 150.00000000000003, which rounds up to 151.
    @Test func exactBreakpointsGiveExactValues() {
        let s = AQIStandard.hj633_2012
        #expect(s.subIndex(.o3OneHour, ug(160)) == 50)
        #expect(s.subIndex(.o3EightHour, ug(215)) == 150)
        #expect(s.subIndex(.o3EightHour, ug(160)) == 100)
    }

    @Test func o3EightHourAbove800IsNotIndexedUnder2012() throws {
        #expect(AQIStandard.hj633_2012.subIndex(.o3EightHour, ug(801)) == nil)
        #expect(AQIStandard.hj633_2012.subIndex(.o3EightHour, try Concentration(800.1)) == nil)
    }

    @Test func o3EightHourAbove800IsCappedAt300Under2026() {
        for c in [801, 1000, 2000] {
            #expect(AQIStandard.hj633_2026.subIndex(.o3EightHour, ug(c)) == 300)
        }
    }

    @Test func particleBoundariesMovedIn2026() {
        #expect(AQIStandard.hj633_2012.subIndex(.pm25, ug(75)) == 100)
        #expect(AQIStandard.hj633_2026.subIndex(.pm25, ug(60)) == 100)
        #expect(AQIStandard.hj633_2026.subIndex(.pm25, ug(75)) == 114)
        #expect(AQIStandard.hj633_2012.subIndex(.pm10, ug(150)) == 100)
        #expect(AQIStandard.hj633_2026.subIndex(.pm10, ug(120)) == 100)
        #expect(AQIStandard.hj633_2026.subIndex(.pm10, ug(150)) == 112)
    }

    /// Every breakpoint of every table maps to its ladder value, and beyond the table to 500.
    @Test(arguments: AQIStandard.builtIn)
    func everyTableHitsItsBreakpointsExactly(standard: AQIStandard) {
        for table in standard.tables {
            for point in table.points {
                #expect(table.subIndex(point.concentration) == point.iaqi, "\(table.pollutant) \(point.concentration)")
            }
            if table.pollutant != .o3EightHour {
                let beyond = try! Concentration(tenths: table.lastBreakpoint.tenths + 1)
                #expect(table.subIndex(beyond) == 500)
            }
        }
    }

    /// Cross-check the integer formula with an independent one: the smallest integer I with
    /// I x (BP_hi - BP_lo) >= (IAQI_hi - IAQI_lo) x (C - BP_lo) + IAQI_lo x (BP_hi - BP_lo),
    /// over every tenth of ug/m3 in the O3 ranges; and the index never decreases.
    @Test func matchesExactRationalCeilingEverywhere() {
        let table = AQIStandard.hj633_2012.table(for: .o3EightHour)!
        var previous = 0
        for tenths in 0...8000 {
            let c = try! Concentration(tenths: tenths)
            let got = table.subIndex(c)!
            let (lo, hi) = zip(table.points, table.points.dropFirst()).first { tenths <= $1.concentration.tenths }!
            let span = hi.concentration.tenths - lo.concentration.tenths
            let target = (hi.iaqi - lo.iaqi) * (tenths - lo.concentration.tenths) + lo.iaqi * span
            let expected = (0...500).first { $0 * span >= target }!
            #expect(got == expected, "O3 8h \(c)")
            #expect(got >= previous)
            previous = got
        }
    }

    @Test func concentrationsAreValidated() throws {
        #expect(throws: AirAlertError.self) { try Concentration(-1.0) }
        #expect(throws: AirAlertError.self) { try Concentration(Double.nan) }
        #expect(throws: AirAlertError.self) { try Concentration(Double.infinity) }
        #expect(throws: AirAlertError.self) { try Concentration(micrograms: -5) }
        #expect(try Concentration(160.04).tenths == 1600)
        #expect(try Concentration(160.06).description == "160.1")
    }

    @Test func standardsAreSelectedByIdAndDate() throws {
        #expect(try AQIStandard.named("hj633-2026") == .hj633_2026)
        #expect(throws: AirAlertError.self) { try AQIStandard.named("hj633-1999") }
        #expect(try AQIStandard.effective(on: day("2026-02-28")).id == "hj633-2012")
        #expect(try AQIStandard.effective(on: day("2026-03-01")).id == "hj633-2026")
        #expect(throws: AirAlertError.self) { try AQIStandard.effective(on: day("2015-12-31")) }
    }

    @Test func standardsRoundTripThroughJSON() throws {
        let data = try JSONEncoder().encode(AQIStandard.builtIn)
        #expect(try JSONDecoder().decode([AQIStandard].self, from: data) == AQIStandard.builtIn)
    }
}
