import BinaryCoding
import Foundation

/// The engine in the compact binary layout of `Shared/BinaryCoding`: the snapshot matching
/// stores and restarts from.
///
/// Why not JSON, as until session 15: at 150,000 orders the JSON was 40 MB and took
/// `JSONDecoder` 1.9 s to read back, at every start and after every rolled-back batch; this
/// layout is 7 MB, read back in 0.09 s and written in a third of the hand-written JSON's time
/// (`matching-bench --snapshot`).
/// What grows with the day (the order tables, the order index, the accounts, the books) is
/// written here field by field; what does not (the rules, sessions, auctions, early holds,
/// the instrument index) goes as JSON inside, through `JSONEncoder`, as the JSON snapshot does.
extension MatchingEngine {
    /// Writes every field of the state (`fills` is scratch, empty between calls, and left out).
    public func writeSnapshot(into writer: inout BinaryWriter) throws {
        try writer.json(rules)
        writer.unsigned(UInt64(instruments.count))
        for instrument in instruments { try instrument.writeSnapshot(into: &writer) }
        try writer.json(instrumentIndex)
        writer.unsigned(UInt64(locations.count))
        for (orderID, location) in locations {
            writer.string(orderID.rawValue)
            writer.signed(Int64(location.instrument))
            writer.signed(Int64(location.order.rawValue))
        }
        writer.unsigned(UInt64(accounts.count))
        for (account, ref) in accounts {
            writer.string(account.rawValue)
            writer.signed(Int64(ref.rawValue))
        }
        try writer.json(earlyHolds)
    }

    /// Reads what `writeSnapshot` wrote.
    /// - Throws: `BinaryDecodingError` for bytes that are not such a layout (truncated, a count
    ///   larger than the bytes left, an unknown status or side, a number out of its type's range,
    ///   a JSON part that does not decode).
    public static func readSnapshot(from reader: inout BinaryReader) throws(BinaryDecodingError) -> MatchingEngine {
        var engine = MatchingEngine(rules: try reader.json(MatchingRules.self))
        let maximumSpan = engine.rules.maximumLadderSpan
        engine.instruments = try reader.array(minimumBytes: 8) { reader throws(BinaryDecodingError) in
            try InstrumentState.readSnapshot(from: &reader, maximumLadderSpan: maximumSpan)
        }
        engine.instrumentIndex = try reader.json([InstrumentID: Int].self)
        let locationCount = try reader.count(minimumBytes: 3)
        engine.locations.reserveCapacity(locationCount)
        for _ in 0..<locationCount {
            let orderID = OrderID(try reader.string())
            engine.locations[orderID] = OrderLocation(instrument: try reader.int32(), order: OrderRef(try reader.int32()))
        }
        let accountCount = try reader.count(minimumBytes: 2)
        engine.accounts.reserveCapacity(accountCount)
        for _ in 0..<accountCount {
            let account = AccountID(try reader.string())
            engine.accounts[account] = AccountRef(try reader.int32())
        }
        engine.earlyHolds = try reader.json([OrderID: EarlyHold].self)
        try engine.checkReferences()
        return engine
    }

    /// The references between the parts, checked once after reading: a snapshot that passed its
    /// checksum but holds an index out of range (a writer's bug) is refused here, so recovery
    /// falls back to the older snapshot, instead of trapping on the first order that uses it.
    func checkReferences() throws(BinaryDecodingError) {
        for (id, index) in instrumentIndex where !instruments.indices.contains(index) || instruments[index].id != id {
            throw BinaryDecodingError("instrument \(id) points at \(index), not at its state")
        }
        for (orderID, location) in locations {
            let instrument = Int(location.instrument), order = Int(location.order.rawValue)
            guard instruments.indices.contains(instrument), instruments[instrument].orders.indices.contains(order) else {
                throw BinaryDecodingError("order \(orderID) points at \(instrument)/\(order), outside the order tables")
            }
        }
        for instrument in instruments {
            try instrument.book.checkReferences(orders: instrument.orders.count)
            for order in instrument.orders {
                if let slot = order.slot, !instrument.book.nodes.indices.contains(Int(slot.rawValue)) {
                    throw BinaryDecodingError("order \(order.id) rests in node \(slot.rawValue) of \(instrument.book.nodes.count)")
                }
            }
            for quote in instrument.blockQuotes where !instrument.orders.indices.contains(Int(quote.rawValue)) {
                throw BinaryDecodingError("block quote \(quote.rawValue) of \(instrument.id) is outside its order table")
            }
        }
    }
}

extension InstrumentState {
    func writeSnapshot(into writer: inout BinaryWriter) throws {
        writer.string(id.rawValue)
        try writer.json(session)
        writer.optional(previousClose) { $0.signed($1.rawValue) }
        book.writeSnapshot(into: &writer)
        writer.array(orders) { $1.writeSnapshot(into: &$0) }
        writer.array(blockQuotes) { $0.signed(Int64($1.rawValue)) }
        try writer.json(auction)
    }

    static func readSnapshot(from reader: inout BinaryReader, maximumLadderSpan: Int) throws(BinaryDecodingError) -> InstrumentState {
        var instrument = InstrumentState(id: InstrumentID(try reader.string()), maximumLadderSpan: maximumLadderSpan)
        instrument.session = try reader.json(Session?.self)
        instrument.previousClose = try reader.optional { reader throws(BinaryDecodingError) in Fen(try reader.signed()) }
        instrument.book = try ListedBook.readSnapshot(from: &reader)
        instrument.orders = try reader.array(minimumBytes: 9) { reader throws(BinaryDecodingError) in
            try OrderRecord.readSnapshot(from: &reader)
        }
        instrument.blockQuotes = try reader.array(minimumBytes: 1) { reader throws(BinaryDecodingError) in
            OrderRef(try reader.int32())
        }
        instrument.auction = try reader.json(Auction?.self)
        return instrument
    }
}

extension OrderRecord {
    /// Side, method and status as their position in `allCases` (one byte each).
    func writeSnapshot(into writer: inout BinaryWriter) {
        writer.string(request.orderID.rawValue)
        writer.string(request.account.rawValue)
        writer.string(request.instrument.rawValue)
        writer.caseOf(request.side)
        writer.caseOf(request.method)
        writer.signed(request.quantity.rawValue)
        writer.signed(request.price.rawValue)
        writer.optional(request.counterparty) { $0.string($1.rawValue) }
        writer.signed(Int64(accountRef.rawValue))
        writer.caseOf(status)
        writer.signed(remaining.rawValue)
        writer.optional(slot) { $0.signed(Int64($1.rawValue)) }
    }

    static func readSnapshot(from reader: inout BinaryReader) throws(BinaryDecodingError) -> OrderRecord {
        let orderID = OrderID(try reader.string())
        let account = AccountID(try reader.string())
        let instrument = InstrumentID(try reader.string())
        let side: Side = try reader.caseOf(Side.allCases)
        let method: TradingMethod = try reader.caseOf(TradingMethod.allCases)
        let quantity = Tonnes(try reader.signed())
        let price = Fen(try reader.signed())
        let counterparty = try reader.optional { reader throws(BinaryDecodingError) in AccountID(try reader.string()) }
        let request = OrderRequest(orderID: orderID, account: account, instrument: instrument, side: side, method: method,
                                   quantity: quantity, price: price, counterparty: counterparty)
        var record = OrderRecord(request: request, accountRef: AccountRef(try reader.int32()),
                                 status: try reader.caseOf(OrderStatus.allCases))
        record.remaining = Tonnes(try reader.signed())
        record.slot = try reader.optional { reader throws(BinaryDecodingError) in BookSlot(rawValue: try reader.int32()) }
        return record
    }
}

extension ListedBook {
    func writeSnapshot(into writer: inout BinaryWriter) {
        writer.signed(Int64(maximumSpan))
        writer.signed(base)
        writer.array(levels) { writer, level in
            writer.signed(Int64(level.head))
            writer.signed(Int64(level.tail))
            writer.signed(Int64(level.count))
            writer.signed(level.quantity)
        }
        writer.array(occupancy) { $0.unsigned($1) }
        writer.signed(Int64(bestBidIndex))
        writer.signed(Int64(bestAskIndex))
        writer.array(nodes) { writer, node in
            writer.signed(Int64(node.next))
            writer.signed(Int64(node.prev))
            writer.signed(Int64(node.order))
            writer.signed(Int64(node.account))
            writer.signed(node.price)
            writer.signed(node.remaining)
        }
        writer.signed(Int64(freeNode))
        writer.signed(Int64(restingOrderCount))
        writer.optional(lastPrice) { $0.signed($1.rawValue) }
    }

    static func readSnapshot(from reader: inout BinaryReader) throws(BinaryDecodingError) -> ListedBook {
        var book = ListedBook(maximumSpan: try reader.int())
        book.base = try reader.signed()
        book.levels = try reader.array(minimumBytes: 4) { reader throws(BinaryDecodingError) in
            PriceLevel(head: try reader.int32(), tail: try reader.int32(), count: try reader.int32(), quantity: try reader.signed())
        }
        book.occupancy = try reader.array(minimumBytes: 1) { reader throws(BinaryDecodingError) in try reader.unsigned() }
        book.bestBidIndex = try reader.int()
        book.bestAskIndex = try reader.int()
        book.nodes = try reader.array(minimumBytes: 6) { reader throws(BinaryDecodingError) in
            BookNode(next: try reader.int32(), prev: try reader.int32(), order: try reader.int32(), account: try reader.int32(),
                     price: try reader.signed(), remaining: try reader.signed())
        }
        book.freeNode = try reader.int32()
        book.restingOrderCount = try reader.int()
        book.lastPrice = try reader.optional { reader throws(BinaryDecodingError) in Fen(try reader.signed()) }
        return book
    }

    /// Links, best prices and the bitmap within the ladder and the slab (`MatchingEngine.checkReferences`).
    func checkReferences(orders: Int) throws(BinaryDecodingError) {
        func link(_ value: Int32, within count: Int) -> Bool { value == -1 || (0..<count).contains(Int(value)) }
        guard occupancy.count * 64 == levels.count || (occupancy.isEmpty && levels.isEmpty) else {
            throw BinaryDecodingError("a ladder of \(levels.count) levels with \(occupancy.count) bitmap words")
        }
        for index in [bestBidIndex, bestAskIndex] where !(index == -1 || levels.indices.contains(index)) {
            throw BinaryDecodingError("a best price at level \(index) of \(levels.count)")
        }
        guard link(freeNode, within: nodes.count) else { throw BinaryDecodingError("the free list starts at \(freeNode) of \(nodes.count)") }
        for level in levels where !link(level.head, within: nodes.count) || !link(level.tail, within: nodes.count) {
            throw BinaryDecodingError("a level links nodes \(level.head)...\(level.tail) of \(nodes.count)")
        }
        for node in nodes where !link(node.next, within: nodes.count) || !link(node.prev, within: nodes.count)
            || !(node.order == -1 || (0..<orders).contains(Int(node.order))) {
            throw BinaryDecodingError("a book node links \(node.prev)/\(node.next) of \(nodes.count) nodes, order \(node.order) of \(orders)")
        }
    }
}
