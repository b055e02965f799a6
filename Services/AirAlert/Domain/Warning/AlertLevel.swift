/// The three warning levels of the ozone plan, ordered yellow < orange < red.
///
/// A plain enum because the contract fixes these three names (`level` in `AlertIssued` and
/// `ControlDirectiveIssued`); encoded as the lowercase name.
public enum AlertLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case yellow, orange, red

    public static func < (lhs: AlertLevel, rhs: AlertLevel) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .yellow: 1
        case .orange: 2
        case .red: 3
        }
    }
}

extension Optional where Wrapped == AlertLevel {
    /// The higher of two optional levels (`nil` is below every level).
    static func highest(_ lhs: AlertLevel?, _ rhs: AlertLevel?) -> AlertLevel? {
        switch (lhs, rhs) {
        case let (l?, r?): Swift.max(l, r)
        case let (l?, nil): l
        case let (nil, r): r
        }
    }
}
