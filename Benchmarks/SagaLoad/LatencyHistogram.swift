import Histogram

/// Trade latencies in an HdrHistogram: microsecond resolution, 3 significant digits, up to an
/// hour. A percentile is the nearest rank over every sample, as the Python generator's sorted
/// list gave, to within the histogram's 0.1% bucket width; memory and time stay fixed however
/// many trades a run has.
struct LatencyHistogram {
    private static let highestMicroseconds: UInt64 = 3_600_000_000
    private var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: highestMicroseconds,
                                              numberOfSignificantValueDigits: .three)

    mutating func record(nanoseconds: UInt64) {
        histogram.record(min(nanoseconds / 1000, Self.highestMicroseconds))
    }

    /// `latencyMs` of the result: samples, p50, p99, p99.9 and max in milliseconds (2 decimals;
    /// null without samples) and which histogram they come from.
    var json: OrderedJSON {
        let samples = Int(histogram.totalCount)
        func ms(_ microseconds: UInt64) -> OrderedJSON {
            samples == 0 ? .null : .rounded(Double(microseconds) / 1000, 2)
        }
        return .object([
            ("samples", .int(samples)),
            ("p50", ms(histogram.valueAtPercentile(50))),
            ("p99", ms(histogram.valueAtPercentile(99))),
            ("p99.9", ms(histogram.valueAtPercentile(99.9))),
            ("max", ms(histogram.maxRecorded)),
            ("histogram", .string("HdrHistogram, 3 significant digits, microsecond resolution")),
        ])
    }
}
