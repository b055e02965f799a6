import Foundation

/// Bounds on what a monitoring station may report, as configuration.
public struct ObservationRules: Sendable, Equatable, Codable {
    /// Readings above this are instrument faults, not air: the highest O3 1-hour values ever
    /// recorded in China are well under 1,000 ug/m3.
    public var maxConcentration: Concentration
    /// A reading received more than this long after its `observedAt` is late.
    public var lateAfterSeconds: Int
    /// How far back duplicates are remembered; an older reading is refused, because it could
    /// no longer be recognised as a duplicate and might be counted twice.
    public var dedupWindowSeconds: Int
    /// Clock skew tolerated for a reading stamped after its arrival.
    public var futureToleranceSeconds: Int

    public init(maxConcentration: Concentration = 2000, lateAfterSeconds: Int = 2 * 3600,
                dedupWindowSeconds: Int = 7 * 86_400, futureToleranceSeconds: Int = 300) {
        self.maxConcentration = maxConcentration
        self.lateAfterSeconds = lateAfterSeconds
        self.dedupWindowSeconds = dedupWindowSeconds
        self.futureToleranceSeconds = futureToleranceSeconds
    }
}

/// A validated `AirQualityObserved` reading of one station (ug/m3).
///
/// `o3OneHour` and `o3EightHour` are required by the contract; PM2.5 and PM10 are indexed with
/// the 24-hour tables, `no2` as a 1-hour value (stations report hourly).
public struct Observation: Sendable, Equatable, Codable {
    public let district: String
    public let stationId: String
    public let observedAt: Date
    public let o3OneHour: Concentration
    public let o3EightHour: Concentration
    public let pm25: Concentration?
    public let pm10: Concentration?
    public let no2: Concentration?

    /// Validates raw values as they arrive in JSON.
    /// - Throws: `invalid-observation` for an empty district or station id;
    ///   `invalid-concentration` for a value that is negative, not finite, or above
    ///   `rules.maxConcentration`.
    public init(district: String, stationId: String, observedAt: Date,
                o3OneHour: Double, o3EightHour: Double, pm25: Double? = nil, pm10: Double? = nil,
                no2: Double? = nil, rules: ObservationRules = ObservationRules()) throws {
        guard district.contains(where: { !$0.isWhitespace }),
              stationId.contains(where: { !$0.isWhitespace }) else {
            throw AirAlertError.invalid("observation", "an observation needs a district and a station id")
        }
        func checked(_ name: String, _ value: Double) throws -> Concentration {
            let concentration = try Concentration(value)
            guard concentration <= rules.maxConcentration else {
                throw AirAlertError.invalid("concentration", "\(name) of \(value) ug/m3 at station \(stationId) "
                    + "is above the plausible maximum of \(rules.maxConcentration) ug/m3")
            }
            return concentration
        }
        self.district = district
        self.stationId = stationId
        self.observedAt = observedAt
        self.o3OneHour = try checked("O3 1-hour", o3OneHour)
        self.o3EightHour = try checked("O3 8-hour", o3EightHour)
        self.pm25 = try pm25.map { try checked("PM2.5", $0) }
        self.pm10 = try pm10.map { try checked("PM10", $0) }
        self.no2 = try no2.map { try checked("NO2", $0) }
    }

    private enum CodingKeys: String, CodingKey {
        case district, stationId, observedAt, o3OneHour, o3EightHour, pm25, pm10, no2
    }

    /// Decodes the contract's `AirQualityObserved` payload and validates it with the default
    /// `ObservationRules`, so a decoded observation is always a valid one.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(district: c.decode(String.self, forKey: .district),
                      stationId: c.decode(String.self, forKey: .stationId),
                      observedAt: c.decode(Date.self, forKey: .observedAt),
                      o3OneHour: c.decode(Double.self, forKey: .o3OneHour),
                      o3EightHour: c.decode(Double.self, forKey: .o3EightHour),
                      pm25: c.decodeIfPresent(Double.self, forKey: .pm25),
                      pm10: c.decodeIfPresent(Double.self, forKey: .pm10),
                      no2: c.decodeIfPresent(Double.self, forKey: .no2))
    }

    /// The values to index.
    public var reading: AQIReading {
        AQIReading(o3OneHour: o3OneHour, o3EightHour: o3EightHour, pm25: pm25, pm10: pm10, no2OneHour: no2)
    }

    /// The reading's IAQIs, AQI and band under `standard`.
    public func assess(under standard: AQIStandard) throws -> AQIAssessment {
        try standard.assess(reading)
    }

    /// The hour slot (hours since 1970-01-01 UTC) the reading belongs to: one reading per
    /// station per slot. UTC and CST hours coincide, CST being a whole-hour offset.
    public var hourSlot: Int {
        Int((observedAt.timeIntervalSince1970 / 3600).rounded(.down))
    }
}
