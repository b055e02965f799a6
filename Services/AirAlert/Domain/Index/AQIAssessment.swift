/// The concentrations to index, each optional: a reading carries what the station or the
/// forecaster measured. PM2.5 and PM10 use the 24-hour tables (HJ 633-2012 has no 1-hour table
/// for particles).
public struct AQIReading: Sendable, Equatable, Codable {
    public var o3OneHour: Concentration?
    public var o3EightHour: Concentration?
    public var pm25: Concentration?
    public var pm10: Concentration?
    public var no2OneHour: Concentration?
    public var no2TwentyFourHour: Concentration?

    public init(o3OneHour: Concentration? = nil, o3EightHour: Concentration? = nil,
                pm25: Concentration? = nil, pm10: Concentration? = nil,
                no2OneHour: Concentration? = nil, no2TwentyFourHour: Concentration? = nil) {
        self.o3OneHour = o3OneHour
        self.o3EightHour = o3EightHour
        self.pm25 = pm25
        self.pm10 = pm10
        self.no2OneHour = no2OneHour
        self.no2TwentyFourHour = no2TwentyFourHour
    }

    /// The present values in report order.
    public var values: [(pollutant: Pollutant, concentration: Concentration)] {
        let all: [(Pollutant, Concentration?)] = [
            (.o3OneHour, o3OneHour), (.o3EightHour, o3EightHour), (.pm25, pm25), (.pm10, pm10),
            (.no2OneHour, no2OneHour), (.no2TwentyFourHour, no2TwentyFourHour),
        ]
        return all.compactMap { pollutant, value in value.map { (pollutant, $0) } }
    }
}

/// One pollutant's index within an assessment.
public struct SubIndex: Sendable, Equatable, Codable {
    public let pollutant: Pollutant
    public let concentration: Concentration
    /// `nil` when the standard does not index this value (O3 8-hour above 800 under HJ 633-2012).
    public let iaqi: Int?
}

/// A reading indexed under one standard: every IAQI, the O3 index, the AQI, its band and the
/// primary pollutants.
public struct AQIAssessment: Sendable, Equatable, Codable {
    public let standardId: String
    /// One entry per value in the reading, in report order.
    public let subIndices: [SubIndex]
    /// The reported O3 index: the larger of the O3 1-hour and 8-hour IAQIs that are indexed.
    /// When the 8-hour value is not indexed (above 800 under HJ 633-2012) this is the 1-hour
    /// index, as the standard prescribes. `nil` when no O3 value is indexed.
    public let o3Index: Int?
    /// The largest IAQI.
    public let aqi: Int
    public let band: AQIBand
    /// The pollutants whose IAQI equals the AQI, when the AQI is above 50; empty otherwise
    /// (HJ 633: an "excellent" day has no primary pollutant).
    public let primaryPollutants: [Pollutant]
}

extension AQIStandard {
    /// Indexes a reading.
    /// - Throws: `not-indexable` when no value in the reading can be indexed under this standard.
    public func assess(_ reading: AQIReading) throws -> AQIAssessment {
        let subIndices = reading.values.map {
            SubIndex(pollutant: $0.pollutant, concentration: $0.concentration,
                     iaqi: subIndex($0.pollutant, $0.concentration))
        }
        let indexed = subIndices.compactMap { sub in sub.iaqi.map { (sub.pollutant, $0) } }
        guard let aqi = indexed.map(\.1).max() else {
            throw AirAlertError(code: "not-indexable",
                                reason: "no value in the reading can be indexed under \(title)")
        }
        let o3Index = indexed.filter { $0.0.isOzone }.map(\.1).max()
        let primary = aqi > 50 ? indexed.filter { $0.1 == aqi }.map(\.0) : []
        return AQIAssessment(standardId: id, subIndices: subIndices, o3Index: o3Index,
                             aqi: aqi, band: AQIBand(aqi: aqi), primaryPollutants: primary)
    }
}
