/// A pollutant *and its averaging period*, the unit HJ 633 indexes: O3 has one table for 1-hour
/// values and another for 8-hour moving averages, and they give different indices for the same
/// number.
///
/// A struct around a string id rather than an enum, so that a later standard (or SO2 and CO,
/// which this service does not use yet) can add pollutants without breaking `switch`es in
/// other modules. Encoded as its id.
public struct Pollutant: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Stable identifier, e.g. `o3-8h`.
    public let id: String

    public init(id: String) {
        self.id = id
    }

    /// O3, 1-hour average.
    public static let o3OneHour = Pollutant(id: "o3-1h")
    /// O3, 8-hour moving average.
    public static let o3EightHour = Pollutant(id: "o3-8h")
    /// PM2.5, 24-hour average.
    public static let pm25 = Pollutant(id: "pm2.5-24h")
    /// PM10, 24-hour average.
    public static let pm10 = Pollutant(id: "pm10-24h")
    /// NO2, 24-hour average.
    public static let no2TwentyFourHour = Pollutant(id: "no2-24h")
    /// NO2, 1-hour average.
    public static let no2OneHour = Pollutant(id: "no2-1h")

    /// The pollutants this module knows, in report order.
    public static let known: [Pollutant] = [
        .o3OneHour, .o3EightHour, .pm25, .pm10, .no2OneHour, .no2TwentyFourHour,
    ]

    /// Whether this is one of the O3 indices (reported together as the O3 index).
    public var isOzone: Bool { self == .o3OneHour || self == .o3EightHour }

    /// A human name such as `O3 8-hour`.
    public var name: String {
        switch id {
        case Self.o3OneHour.id: "O3 1-hour"
        case Self.o3EightHour.id: "O3 8-hour"
        case Self.pm25.id: "PM2.5 24-hour"
        case Self.pm10.id: "PM10 24-hour"
        case Self.no2TwentyFourHour.id: "NO2 24-hour"
        case Self.no2OneHour.id: "NO2 1-hour"
        default: id
        }
    }

    public var description: String { id }

    /// Report order: known pollutants first in `known` order, others by id.
    public static func < (lhs: Pollutant, rhs: Pollutant) -> Bool {
        let l = known.firstIndex(of: lhs) ?? known.count
        let r = known.firstIndex(of: rhs) ?? known.count
        return l != r ? l < r : lhs.id < rhs.id
    }
}

extension Pollutant: Codable {
    public init(from decoder: any Decoder) throws {
        let id = try decoder.singleValueContainer().decode(String.self)
        guard !id.isEmpty else { throw AirAlertError.invalid("pollutant", "a pollutant id is empty") }
        self.init(id: id)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }
}
