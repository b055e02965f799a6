/// Sessions, phases and auction windows: the inputs the service drives from its clock.
extension MatchingEngine {
    /// `OpenSession`: opens an instrument's trading day.
    /// - Parameters:
    ///   - referencePrice: the band's reference; when `nil`, the previous session's close.
    ///   - methods: the methods accepted from the start (the phase); change it with `setMethods`.
    public mutating func openSession(instrument: InstrumentID, tradingDay: TradingDay,
                                     referencePrice: Fen? = nil, methods: MethodSet = .all,
                                     into outputs: inout [MatchingOutput])
    {
        func refuse(_ code: RejectionCode, _ reason: String) {
            outputs.append(.commandRejected(CommandRejected(command: .openSession, subject: instrument.rawValue,
                                                            code: code, reason: reason)))
        }
        guard tradingDay.isWellFormed else {
            return refuse(.invalidTradingDay, "Trading day '\(tradingDay)' is not a yyyy-MM-dd date.")
        }
        let i = instrumentIndex[instrument] ?? addInstrument(instrument)
        if let open = instruments[i].session {
            return refuse(.sessionAlreadyOpen, "The \(open.tradingDay) session of \(instrument) is still open.")
        }
        guard let reference = referencePrice ?? instruments[i].previousClose else {
            return refuse(.noReferencePrice, "\(instrument) has no previous close; give a reference price.")
        }
        guard reference.rawValue > 0, reference <= rules.maximumPrice else {
            return refuse(.invalidPrice, "Reference price \(reference) fen must be between 1 and \(rules.maximumPrice) fen.")
        }
        forgetFinishedOrders(of: i)
        instruments[i].session = Session(tradingDay: tradingDay, referencePrice: reference, methods: methods)
        if let basisPoints = rules.listedBandBasisPoints {
            let band = PriceBand(reference: reference, basisPoints: basisPoints)
            instruments[i].book.reserveLadder(low: band.lower, high: band.upper)
        }
        outputs.append(.sessionOpened(SessionOpened(instrument: instrument, tradingDay: tradingDay,
                                                    referencePrice: reference)))
    }

    /// Moves an open session to another phase: the set of methods accepted from now on. Orders
    /// already working are untouched (a listed order rests through the lunch break).
    public mutating func setMethods(_ methods: MethodSet, instrument: InstrumentID,
                                    into outputs: inout [MatchingOutput])
    {
        guard let i = instrumentIndex[instrument], instruments[i].session != nil else {
            outputs.append(.commandRejected(CommandRejected(
                command: .setMethods, subject: instrument.rawValue, code: .sessionClosed,
                reason: "No trading session is open for \(instrument).")))
            return
        }
        instruments[i].session?.methods = methods
    }

    /// `CloseSession`: every working order expires, then `.sessionClosed` with the day's figures.
    /// `referencePrice` is the closing price when the day had no listed trade; without it the
    /// session's reference (the previous close) stays the close, as RULES.md has it.
    public mutating func closeSession(instrument: InstrumentID, tradingDay: TradingDay, referencePrice: Fen? = nil,
                                      into outputs: inout [MatchingOutput])
    {
        guard let i = instrumentIndex[instrument], let session = instruments[i].session else {
            outputs.append(.commandRejected(CommandRejected(
                command: .closeSession, subject: instrument.rawValue, code: .sessionClosed,
                reason: "No trading session is open for \(instrument).")))
            return
        }
        guard session.tradingDay == tradingDay else {
            outputs.append(.commandRejected(CommandRejected(
                command: .closeSession, subject: instrument.rawValue, code: .tradingDayMismatch,
                reason: "The open session of \(instrument) is \(session.tradingDay), not \(tradingDay).")))
            return
        }
        instruments[i].closeSession(closeWithoutTrades: referencePrice, into: &outputs)
        if !instruments.contains(where: { $0.session != nil }) {
            earlyHolds = [:]
        }
    }

    /// Closes the running auction's bidding window: allocates by price then time, each winner
    /// paying its bid; the rest expires.
    public mutating func closeAuction(instrument: InstrumentID, into outputs: inout [MatchingOutput]) {
        guard let i = instrumentIndex[instrument], instruments[i].auction != nil else {
            outputs.append(.commandRejected(CommandRejected(
                command: .closeAuction, subject: instrument.rawValue, code: .noAuctionOpen,
                reason: "No auction is running for \(instrument).")))
            return
        }
        instruments[i].allocateAuction(into: &outputs)
    }

    /// The open session's trading day and reference price, if a session is open.
    public func session(of instrument: InstrumentID) -> (tradingDay: TradingDay, referencePrice: Fen, methods: MethodSet)? {
        guard let i = instrumentIndex[instrument], let session = instruments[i].session else { return nil }
        return (session.tradingDay, session.referencePrice, session.methods)
    }

    /// The last closing price of an instrument (the default reference of its next session).
    public func previousClose(of instrument: InstrumentID) -> Fen? {
        instrumentIndex[instrument].flatMap { instruments[$0].previousClose }
    }

    private mutating func addInstrument(_ instrument: InstrumentID) -> Int {
        instruments.append(InstrumentState(id: instrument, maximumLadderSpan: rules.maximumLadderSpan))
        instrumentIndex[instrument] = instruments.count - 1
        return instruments.count - 1
    }

    /// Forgets the previous days' finished orders of an instrument (their ids become reusable);
    /// orders still waiting for a hold keep their place under a new ref.
    private mutating func forgetFinishedOrders(of i: Int) {
        for record in instruments[i].orders { locations[record.id] = nil }
        for (id, ref) in instruments[i].compactOrders() {
            locations[id] = OrderLocation(instrument: Int32(i), order: ref)
        }
    }
}
