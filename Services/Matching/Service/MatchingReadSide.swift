import Contract
import Foundation
import MatchingDomain
import ServiceRuntime

/// The matching service's read-only admin routes: market data and sessions from the engine in
/// memory (it runs at most one batch ahead of what SQLite committed), the journal from SQLite.
struct MatchingReadSide: Sendable {
    let host: EngineHost
    let store: EventStoreReader
    let configuration: MatchingConfiguration

    var routes: [AdminRoute] {
        [
            AdminRoute("/books/{instrument}", summary: "best 5 price levels a side of an instrument's listed book") { request in
                let instrument = InstrumentID(request.parameters["instrument"] ?? "")
                guard let book = host.read({ BookView($0, instrument) }) else { return .notFound("instrument \(instrument)") }
                return .json(book)
            },
            AdminRoute("/sessions", summary: "every instrument's session, price band and previous close") { _ in
                .json(host.read { state in state.instruments.map { SessionView(state, $0) } })
            },
            AdminRoute("/sessions/{instrument}", summary: "one instrument's session, price band and previous close") { request in
                let instrument = InstrumentID(request.parameters["instrument"] ?? "")
                guard host.read({ $0.openedDays[instrument] != nil }) else { return .notFound("instrument \(instrument)") }
                return .json(host.read { SessionView($0, instrument) })
            },
            AdminRoute("/journal", summary: "the input journal and its snapshots") { _ in
                let (lastSeq, snapshotSeq) = host.position
                let stored = try store.read(MatchingJournal.summary)
                return .json(JournalView(appliedSeq: lastSeq, snapshotSeq: snapshotSeq,
                                         snapshotEvery: configuration.snapshotEvery, stored: stored))
            },
            AdminRoute("/schedule", summary: "the trading calendar and where it stands now") { _ in
                .json(ScheduleView(configuration.calendar, host: host))
            },
        ]
    }
}

/// `GET /books/{instrument}`.
struct BookView: Encodable {
    var instrument: String
    var tradingDay: String?
    var bids: [MarketDepthLevel]
    var asks: [MarketDepthLevel]
    var lastPrice: Int64?

    init?(_ state: MatchingState, _ instrument: InstrumentID) {
        guard let depth = state.engine.marketData(instrument: instrument) else { return nil }
        let update = MarketDepthUpdated(instrument: instrument, tradingDay: nil, depth: depth, sequence: 0)
        self.instrument = instrument.rawValue
        tradingDay = state.engine.session(of: instrument)?.tradingDay.rawValue
        bids = update.bids
        asks = update.asks
        lastPrice = update.lastPrice
    }
}

/// `GET /sessions/{instrument}`.
struct SessionView: Encodable {
    struct Band: Encodable {
        var lower: Int64
        var upper: Int64
    }
    var instrument: String
    var open: Bool
    var tradingDay: String?
    var referencePrice: Int64?
    var methods: [String]
    var listedBand: Band?
    var blockBand: Band?
    var previousClose: Int64?
    var lastOpenedDay: String?

    init(_ state: MatchingState, _ instrument: InstrumentID) {
        let session = state.engine.session(of: instrument)
        func band(_ basisPoints: Int64?) -> Band? {
            guard let session, let basisPoints else { return nil }
            let band = PriceBand(reference: session.referencePrice, basisPoints: basisPoints)
            return Band(lower: band.lower.rawValue, upper: band.upper.rawValue)
        }
        self.instrument = instrument.rawValue
        open = session != nil
        tradingDay = session?.tradingDay.rawValue
        referencePrice = session?.referencePrice.rawValue
        methods = session?.methods.names ?? []
        listedBand = band(state.engine.rules.listedBandBasisPoints)
        blockBand = band(state.engine.rules.blockBandBasisPoints)
        previousClose = state.engine.previousClose(of: instrument)?.rawValue
        lastOpenedDay = state.openedDays[instrument]?.rawValue
    }
}

/// `GET /journal`.
struct JournalView: Encodable {
    /// The last input applied in memory (may run one batch ahead of `stored.lastSeq`).
    var appliedSeq: Int64
    var snapshotSeq: Int64
    var snapshotEvery: Int
    var stored: JournalSummary
}

/// `GET /schedule`.
struct ScheduleView: Encodable {
    struct Window: Encodable {
        var method: String
        var start: String
        var end: String
    }
    struct Instrument: Encodable {
        var instrument: String
        var waiting: String?
    }
    var enabled: Bool
    var windows: [Window]
    var holidays: [String]
    var now: String?
    var localDay: String?
    var phase: String?
    var methods: [String]
    var instruments: [Instrument]

    init(_ calendar: TradingCalendar?, host: EngineHost) {
        enabled = calendar != nil
        func clock(_ minutes: Int) -> String {
            (minutes / 60 < 10 ? "0" : "") + "\(minutes / 60):" + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)"
        }
        windows = (calendar?.windows ?? []).map { Window(method: $0.method.rawValue, start: clock($0.start), end: clock($0.end)) }
        holidays = (calendar?.holidays ?? []).sorted().map(\.description)
        guard let calendar else {
            methods = []
            instruments = []
            return
        }
        // The admin port may read the clock: this is a view, not an input.
        let now = Timestamp.now()
        let moment = calendar.moment(at: now)
        self.now = now.description
        localDay = moment.day.description
        phase = moment.phase.rawValue
        methods = moment.methods.names
        instruments = calendar.instruments.map { instrument in
            Instrument(instrument: instrument.rawValue,
                       waiting: host.read { calendar.waiting(for: instrument, state: $0, at: now) })
        }
    }
}
