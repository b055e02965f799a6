import MatchingDomain

/// How the matching service runs, beside the runtime's own options (brokers, db, ports).
public struct MatchingConfiguration: Sendable {
    /// The trading rules (RULES.md "Matching" by default). A fresh store starts with these; a
    /// restored one keeps the rules of its snapshot so that replaying the journal's tail gives
    /// the outputs that were published.
    public var rules: MatchingRules
    /// A snapshot of the whole state is stored every this many journaled inputs (0: never, and
    /// the journal is then replayed from its start on every restart).
    public var snapshotEvery: Int
    /// ...but no more often than one input per this many bytes of the last snapshot. A snapshot
    /// costs time in proportion to the state (the day's orders), so a large state is snapshotted
    /// more rarely: encoding stays under about this many bytes per input on average, and a
    /// restart replays a journal tail no longer than the snapshot is large.
    public var snapshotBytesPerInput: Int
    /// Encodes snapshots on a background queue (the loop hands over a copy and goes on);
    /// `false` encodes them inline, at exact points (for tests).
    public var backgroundSnapshots: Bool
    /// Keeps the whole journal (an audit trail that replays a day from scratch) instead of
    /// pruning what the two latest snapshots cover.
    public var keepJournal: Bool
    /// Publishes `MarketDepthUpdated` on `market.depth` after every change of a listed book.
    public var publishDepth: Bool
    /// The calendar that opens, phases and closes sessions from the clock; nil to leave sessions
    /// to `OpenSession` / `SetTradingPhase` / `CloseSession` commands.
    public var calendar: TradingCalendar?
    /// How often the calendar is checked.
    public var tickInterval: Duration

    public init(rules: MatchingRules = .standard, snapshotEvery: Int = 10_000, snapshotBytesPerInput: Int = 64,
                backgroundSnapshots: Bool = true, keepJournal: Bool = false, publishDepth: Bool = false, calendar: TradingCalendar? = nil,
                tickInterval: Duration = .seconds(1)) {
        self.rules = rules
        self.snapshotEvery = snapshotEvery
        self.snapshotBytesPerInput = max(1, snapshotBytesPerInput)
        self.backgroundSnapshots = backgroundSnapshots
        self.keepJournal = keepJournal
        self.publishDepth = publishDepth
        self.calendar = calendar
        self.tickInterval = tickInterval
    }
}
