import Contract
import Foundation

/// The event types the benchmark looks at, recognised by the record's `type` header before the
/// value is touched. During the load most records the watcher reads are of other types
/// (`OrderAccepted`, `AllowancesFrozen`, `FundsReserved`, `AllowancesTransferred`...), and
/// parsing every one of them was what made the Python generator cost a fifth of a core.
enum WatchedEvent: String, CaseIterable, Sendable {
    // Decoded: the benchmark needs their fields.
    case tradeExecuted = "TradeExecuted"
    case tradeSettled = "TradeSettled"
    case reconciliationCompleted = "ReconciliationCompleted"
    // Counted by header alone: the set-up waits for them, the result reports the refusals.
    case entityRegistered = "EntityRegistered"
    case allowancesAllocated = "AllowancesAllocated"
    case fundsDeposited = "FundsDeposited"
    case sessionOpened = "SessionOpened"
    case orderRejected = "OrderRejected"
    case reserveRejected = "ReserveRejected"
    case freezeRejected = "FreezeRejected"
    case commandRejected = "CommandRejected"
    case settlementAlarm = "SettlementAlarm"

    /// The refusals a clean run has none of, in the order the result prints them.
    static let rejections: [WatchedEvent] = [.orderRejected, .reserveRejected, .freezeRejected, .commandRejected, .settlementAlarm]

    /// The type a `type` header names, or nil for a type the benchmark skips.
    init?(header: Data) {
        guard let event = Self.byHeader[header] else { return nil }
        self = event
    }

    private static let byHeader: [Data: WatchedEvent] = Dictionary(
        uniqueKeysWithValues: allCases.map { (Data(utf8Of: $0.rawValue), $0) })

    /// The payloads decoded: a catalogue of exactly these, so nothing else is ever parsed.
    static let decodedCatalogue = PayloadCatalogue([TradeExecuted.self, TradeSettled.self, ReconciliationCompleted.self])
}
