/// The percentages of the compliance rules, as configuration.
///
/// Shares are integer basis points (1/100 of a percent) so every cap is exact integer
/// arithmetic on whole tonnes. Both caps are "at most" limits, so fractional tonnes round
/// *down* (floor): rounding up would let an entity surrender more offsets, or owe more, than
/// the stated maximum.
public struct ComplianceRules: Codable, Sendable, Hashable {
    /// Identifier recorded with assessments.
    public var version: String
    /// Share of verified emissions that CCER may cover (500 = 5%).
    public var offsetCapBasisPoints: Int
    /// A non-gas entity owes at most its allocation plus this share of verified emissions (2000 = 20%).
    public var shortfallCapBasisPoints: Int
    /// Surrender deadline of the compliance cycle (first cycle: 2021-12-31); informational for
    /// the service's scheduling, the calculator itself needs no date.
    public var surrenderDeadline: CalendarDay?

    public init(version: String = "cn-ets-first-cycle", offsetCapBasisPoints: Int = 500,
                shortfallCapBasisPoints: Int = 2000, surrenderDeadline: CalendarDay? = nil) {
        self.version = version
        self.offsetCapBasisPoints = offsetCapBasisPoints
        self.shortfallCapBasisPoints = shortfallCapBasisPoints
        self.surrenderDeadline = surrenderDeadline
    }

    /// The first compliance cycle (2019-2020 emissions, deadline 2021-12-31).
    public static let firstCycle = ComplianceRules(
        surrenderDeadline: CalendarDay(trustedYear: 2021, month: 12, day: 31))

    /// Whole tonnes of CCER that may count: floor(verified x offset share).
    public func offsetCap(verified: Int) -> Int {
        verified * offsetCapBasisPoints / 10_000
    }

    /// What an entity must surrender for `verified` emissions and `allocated` free allocation:
    /// verified, capped at the allocation for a gas-fired entity, or at allocation +
    /// floor(20% of verified) otherwise.
    public func obligation(verified: Int, allocated: Int, gasFired: Bool) -> Int {
        let cap = gasFired ? allocated : allocated + verified * shortfallCapBasisPoints / 10_000
        return min(verified, cap)
    }

    /// Configuration mistakes, in words; empty when the rules are usable.
    public var problems: [String] {
        var problems: [String] = []
        if !(0...10_000).contains(offsetCapBasisPoints) { problems.append("offsetCapBasisPoints must be 0...10000") }
        if shortfallCapBasisPoints < 0 { problems.append("shortfallCapBasisPoints must not be negative") }
        return problems
    }

    /// A basis-point share as a percentage for messages, e.g. 500 -> "5%", 250 -> "2.5%".
    static func percent(_ basisPoints: Int) -> String {
        let whole = basisPoints / 100
        var fraction = String(basisPoints % 100)
        if fraction.count == 1 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)%" : "\(whole).\(fraction)%"
    }
}
