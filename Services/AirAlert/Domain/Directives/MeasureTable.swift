import Foundation

/// Which control measures each kind of enterprise gets at each warning level: configuration,
/// loadable from JSON, because the plan's measure list is revised more often than the code.
///
/// An enterprise falls in one or two target groups: `constructionSites` (sector `construction`)
/// and `vocEmitters` (`vocEmitter == true`); an enterprise in neither is in `otherEnterprises`.
/// Sector `investor` (a market participant with no site) is never a target.
public struct MeasureTable: Sendable, Equatable, Codable {
    /// The measures of one target group at one level.
    public struct Measures: Sendable, Equatable, Codable {
        /// For an enterprise that is not a green benchmark. Empty: the group is not a target at
        /// this level, and its enterprises get no directive.
        public var standard: [String]
        /// For a green benchmark: lighter measures, or `nil` for exemption (the enterprise still
        /// gets a directive with `exempt: true`, so that it knows the warning concerns it).
        public var greenBenchmark: [String]?

        public init(standard: [String], greenBenchmark: [String]?) {
            self.standard = standard
            self.greenBenchmark = greenBenchmark
        }
    }

    /// The measures at one level.
    public struct Level: Sendable, Equatable, Codable {
        public var vocEmitters: Measures
        public var constructionSites: Measures
        public var otherEnterprises: Measures

        public init(vocEmitters: Measures, constructionSites: Measures, otherEnterprises: Measures) {
            self.vocEmitters = vocEmitters
            self.constructionSites = constructionSites
            self.otherEnterprises = otherEnterprises
        }
    }

    public var yellow: Level
    public var orange: Level
    public var red: Level

    public init(yellow: Level, orange: Level, red: Level) {
        self.yellow = yellow
        self.orange = orange
        self.red = red
    }

    public func measures(at level: AlertLevel) -> Level {
        switch level {
        case .yellow: yellow
        case .orange: orange
        case .red: red
        }
    }

    /// Decodes a table from configuration JSON (the shape `JSONEncoder` writes for this type).
    /// - Throws: the decoder's error for malformed JSON.
    public static func load(json: Data) throws -> MeasureTable {
        try JSONDecoder().decode(MeasureTable.self, from: json)
    }
}
