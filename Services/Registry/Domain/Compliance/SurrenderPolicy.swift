/// Checks a `SurrenderAllowances` command before the ledger retires anything.
///
/// CCER beyond the offset cap would not count toward compliance, and a surrender cannot be
/// undone, so the excess is refused up front rather than silently wasted. The ledger itself
/// checks that the entity holds what it surrenders.
public struct SurrenderPolicy: Sendable {
    public let rules: ComplianceRules

    public init(rules: ComplianceRules = .firstCycle) {
        self.rules = rules
    }

    /// Refuses a surrender of `quantity` of `instrument` for a year.
    /// - Parameters:
    ///   - verified: the year's verified emissions, `nil` if not yet verified.
    ///   - alreadySurrenderedCCER: CCER the entity already surrendered for the same year.
    /// - Throws: `invalid-quantity` for a quantity outside 1...`HoldingsLedger.maxQuantity`; for CCER, `ccer-cap-unknown`
    ///   before emissions are verified and `ccer-cap-exceeded` beyond floor(5% of verified).
    public func check(_ instrument: Instrument, quantity: Int, verified: Int?,
                      alreadySurrenderedCCER: Int) throws(RegistryRefusal) {
        guard (1...HoldingsLedger.maxQuantity).contains(quantity) else {
            throw RegistryRefusal(code: RefusalCode.invalidQuantity,
                                  reason: "quantity must be 1...\(HoldingsLedger.maxQuantity) tonnes, got \(quantity)")
        }
        guard instrument == .ccer else { return }
        guard let verified else {
            throw RegistryRefusal(code: RefusalCode.offsetCapUnknown,
                                  reason: "CCER can be surrendered only after the year's emissions are verified")
        }
        let cap = rules.offsetCap(verified: verified)
        guard alreadySurrenderedCCER + quantity <= cap else {
            throw RegistryRefusal(code: RefusalCode.offsetCapExceeded, reason: """
                CCER may cover at most \(cap) t (\(ComplianceRules.percent(rules.offsetCapBasisPoints)) of \(verified) t verified); \
                \(alreadySurrenderedCCER) t already surrendered, cannot add \(quantity) t
                """)
        }
    }
}
