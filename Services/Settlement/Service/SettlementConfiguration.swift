import SettlementDomain

/// How the settlement service runs, beside the runtime's own options (brokers, db, ports).
public struct SettlementConfiguration: Sendable {
    /// The settlement rules (RULES.md "Settlement" by default): fee rate and rounding, the
    /// exchange's fee and clearing accounts, when proceeds become withdrawable, the leg timeout.
    /// The same rules must be given on every start: the journal is replayed with them, and the
    /// fee and clearing account ids stored with the journal are checked against them.
    public var rules: SettlementRules
    /// How often overdue legs and reconciliations waiting for their last legs are checked.
    public var tickInterval: Duration
    /// Trade lines per statement record: `StatementIssued` carries the first ones,
    /// `StatementContinued` the rest, so that no record grows past a comfortable Kafka size.
    public var statementLinesPerRecord: Int
    /// Besides each day's close, the ledger snapshot is stored at the end of the first batch
    /// that takes the journal this many entries past the stored one, so that a restart never
    /// replays more than about this many entries, also before the first close or on a long
    /// day; 0 for at closes only.
    public var snapshotEveryEntries: Int64

    public init(rules: SettlementRules = .standard, tickInterval: Duration = .seconds(1),
                statementLinesPerRecord: Int = 1_000, snapshotEveryEntries: Int64 = 1_000_000) {
        self.rules = rules
        self.tickInterval = tickInterval
        self.statementLinesPerRecord = max(1, statementLinesPerRecord)
        self.snapshotEveryEntries = max(0, snapshotEveryEntries)
    }
}

extension SettlementConfiguration {
    /// The configuration of the command-line flags: the standard rules with this fee rate, leg
    /// timeout and proceeds rule; the alarm check runs every quarter timeout, at most every second.
    /// - Throws: `SettlementConfigurationError` naming the flag that is out of range.
    public init(feePartsPerMillion: Int64, legTimeoutSeconds: Double,
                proceedsWithdrawableSameDay: Bool = false) throws(SettlementConfigurationError) {
        guard FeeRate(partsPerMillion: feePartsPerMillion).isValid else {
            throw SettlementConfigurationError("--fee-ppm must be a whole number from 0 to 1000000, got \(feePartsPerMillion)")
        }
        guard legTimeoutSeconds.isFinite, (0.001...2_592_000).contains(legTimeoutSeconds) else {
            throw SettlementConfigurationError("--leg-timeout-seconds must be from 0.001 to 2592000, got \(legTimeoutSeconds)")
        }
        let rules = SettlementRules(feeRate: FeeRate(partsPerMillion: feePartsPerMillion),
                                    proceedsWithdrawableNextTradingDay: !proceedsWithdrawableSameDay,
                                    legTimeoutMilliseconds: Int64((legTimeoutSeconds * 1000).rounded()))
        let tick = min(1.0, max(0.05, legTimeoutSeconds / 4))
        self.init(rules: rules, tickInterval: .milliseconds(Int64(tick * 1000)))
    }
}

/// A configuration value out of range, with the flag and the value.
public struct SettlementConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
