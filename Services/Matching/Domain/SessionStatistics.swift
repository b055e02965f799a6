/// The day's figures of one instrument, accumulated trade by trade.
///
/// Open, close, high and low come from *listed* trades only: block trades are negotiated at up to
/// +-30% and must not set the closing price (RULES.md); we treat the other official prices the
/// same way so that the day's range is the listed market's. Volume and turnover count every
/// method, with a per-method breakdown.
struct SessionStatistics: Equatable, Codable, Sendable {
    var firstListedPrice: Fen?
    var high: Fen?
    var low: Fen?
    var listedVolume: Int64 = 0
    var listedTurnover: Int64 = 0
    var blockVolume: Int64 = 0
    var blockTurnover: Int64 = 0
    var auctionVolume: Int64 = 0
    var auctionTurnover: Int64 = 0
    var tradeCount: Int64 = 0

    /// Adds one trade. Sums saturate rather than trap: with the rules' price and quantity ceilings
    /// a day would need about a million maximal trades to reach `Int64.max` fen.
    mutating func record(method: TradingMethod, price: Fen, quantity: Tonnes) {
        let value = price.rawValue * quantity.rawValue
        tradeCount += 1
        switch method {
        case .listed:
            if firstListedPrice == nil { firstListedPrice = price }
            high = max(high ?? price, price)
            low = min(low ?? price, price)
            listedVolume = Self.saturatingAdd(listedVolume, quantity.rawValue)
            listedTurnover = Self.saturatingAdd(listedTurnover, value)
        case .block:
            blockVolume = Self.saturatingAdd(blockVolume, quantity.rawValue)
            blockTurnover = Self.saturatingAdd(blockTurnover, value)
        case .auction:
            auctionVolume = Self.saturatingAdd(auctionVolume, quantity.rawValue)
            auctionTurnover = Self.saturatingAdd(auctionTurnover, value)
        }
    }

    /// The closing price: the volume-weighted average price of the day's listed trades, rounded
    /// half-up to a whole fen (turnover / volume, + 1 when the remainder is at least half the
    /// volume); without listed trades, `fallback` (the price `CloseSession` named, else the
    /// previous close: the session's reference price).
    func closePrice(fallback: Fen) -> Fen {
        guard listedVolume > 0 else { return fallback }
        let quotient = listedTurnover / listedVolume
        let remainder = listedTurnover % listedVolume
        return Fen(remainder >= listedVolume - remainder ? quotient + 1 : quotient)
    }

    static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int64.max : sum
    }
}

/// `SessionClosed`: the official figures of an instrument's trading day.
public struct SessionSummary: Equatable, Codable, Sendable {
    public var instrument: InstrumentID
    public var tradingDay: TradingDay
    /// The session's reference price (the previous close, or the one given at open).
    public var referencePrice: Fen
    /// The first listed trade's price, else the reference price.
    public var openPrice: Fen
    /// The listed VWAP rounded half-up, else the price `CloseSession` named, else the reference
    /// price. The next session's reference.
    public var closePrice: Fen
    /// Highest / lowest listed trade price; without listed trades, the higher / lower of the
    /// reference and the close (they differ only when `CloseSession` named the close).
    public var high: Fen
    public var low: Fen
    /// Tonnes traded by every method.
    public var volume: Tonnes
    /// Value traded by every method, in fen.
    public var turnover: Fen
    public var listedVolume: Tonnes
    public var listedTurnover: Fen
    public var blockVolume: Tonnes
    public var blockTurnover: Fen
    public var auctionVolume: Tonnes
    public var auctionTurnover: Fen
    public var tradeCount: Int64
}

extension SessionStatistics {
    /// The day's figures; `closeWithoutTrades` is the closing price when no listed trade set one.
    /// Without listed trades high and low span the reference and that close, so that open,
    /// close, high and low still make a valid price bar.
    func summary(instrument: InstrumentID, tradingDay: TradingDay, reference: Fen, closeWithoutTrades: Fen) -> SessionSummary {
        let volume = Self.saturatingAdd(Self.saturatingAdd(listedVolume, blockVolume), auctionVolume)
        let turnover = Self.saturatingAdd(Self.saturatingAdd(listedTurnover, blockTurnover), auctionTurnover)
        let close = closePrice(fallback: closeWithoutTrades)
        return SessionSummary(
            instrument: instrument, tradingDay: tradingDay, referencePrice: reference,
            openPrice: firstListedPrice ?? reference, closePrice: close,
            high: high ?? max(reference, close), low: low ?? min(reference, close),
            volume: Tonnes(volume), turnover: Fen(turnover),
            listedVolume: Tonnes(listedVolume), listedTurnover: Fen(listedTurnover),
            blockVolume: Tonnes(blockVolume), blockTurnover: Fen(blockTurnover),
            auctionVolume: Tonnes(auctionVolume), auctionTurnover: Fen(auctionTurnover),
            tradeCount: tradeCount)
    }
}
