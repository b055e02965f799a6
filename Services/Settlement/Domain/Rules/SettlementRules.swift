/// Settlement's rules as configuration rather than literals (RULES.md "Settlement").
///
/// The defaults are the national CEA market's as far as we know them; the fee rate and the
/// proceeds rule are marked unverified there, so each revision is a new value of this struct.
public struct SettlementRules: Hashable, Codable, Sendable {
    /// Fee rate per side on traded value (default 5 bp = 0.05%, unverified).
    public var feeRate: FeeRate
    /// How each side's fee on each trade is rounded to a fen (default half up).
    public var feeRounding: FeeRounding
    /// The exchange's fee account: every fee is credited to it (default `EXCHANGE-FEES`).
    public var feeAccountId: AccountID
    /// The exchange's clearing account, through which every trade's value passes from the
    /// buyer's reservation to the seller (default `EXCHANGE-CLEARING`). Zero at every quiet point.
    public var clearingAccountId: AccountID
    /// Whether sale proceeds become withdrawable only on the next trading day (default `true`,
    /// unverified). They are usable for trading at once either way.
    public var proceedsWithdrawableNextTradingDay: Bool
    /// How long after one leg of a trade the other may be missing before the settlement alarm
    /// fires, in milliseconds (default 5 minutes).
    public var legTimeoutMilliseconds: Int64

    public init(feeRate: FeeRate = .basisPoints(5),
                feeRounding: FeeRounding = .halfUp,
                feeAccountId: AccountID = "EXCHANGE-FEES",
                clearingAccountId: AccountID = "EXCHANGE-CLEARING",
                proceedsWithdrawableNextTradingDay: Bool = true,
                legTimeoutMilliseconds: Int64 = 300_000) {
        self.feeRate = feeRate
        self.feeRounding = feeRounding
        self.feeAccountId = feeAccountId
        self.clearingAccountId = clearingAccountId
        self.proceedsWithdrawableNextTradingDay = proceedsWithdrawableNextTradingDay
        self.legTimeoutMilliseconds = legTimeoutMilliseconds
    }

    /// The defaults of RULES.md.
    public static let standard = SettlementRules()

    /// Whether `account` is one of the exchange's own accounts (no participant may use its id).
    public func isExchangeAccount(_ account: AccountID) -> Bool {
        account == feeAccountId || account == clearingAccountId
    }

    /// Checks that the rules can be used.
    /// - Throws: `invalid-rules` naming the first bad setting.
    public func validate() throws(SettlementRefusal) {
        func refuse(_ reason: String) -> SettlementRefusal {
            SettlementRefusal(code: SettlementRefusal.Code.invalidRules, reason: reason)
        }
        guard feeRate.isValid else { throw refuse("fee rate must be 0...1000000 ppm, got \(feeRate)") }
        guard !feeAccountId.rawValue.isEmpty, !clearingAccountId.rawValue.isEmpty else {
            throw refuse("the fee and clearing account ids must not be empty")
        }
        guard feeAccountId != clearingAccountId else {
            throw refuse("the fee and clearing accounts must differ, both are \(feeAccountId)")
        }
        guard legTimeoutMilliseconds > 0 else {
            throw refuse("leg timeout must be positive, got \(legTimeoutMilliseconds) ms")
        }
    }
}
