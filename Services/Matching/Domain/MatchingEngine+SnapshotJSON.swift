import Foundation

extension MatchingEngine {
    /// The engine as JSON, readable by `JSONDecoder` as `MatchingEngine` and equal, as a JSON
    /// value, to what `JSONEncoder` writes (the domain tests compare the two): the snapshot's
    /// fast path. What grows with the day (orders, the order index, accounts, the book) is
    /// written by hand; the rules, the sessions and the rest go through `JSONEncoder`.
    public func writeSnapshotJSON(into writer: inout SnapshotJSONWriter) throws {
        writer.beginObject()
        writer.key("rules")
        try writer.encoded(rules)
        writer.key("instruments")
        writer.beginArray()
        for instrument in instruments { try instrument.writeSnapshotJSON(into: &writer) }
        writer.endArray()
        writer.key("instrumentIndex")
        try writer.encoded(instrumentIndex)
        writer.key("locations")
        writer.beginObject()
        for (orderID, location) in locations {
            writer.key(orderID.rawValue)
            writer.beginObject()
            writer.key("instrument")
            writer.int(location.instrument)
            writer.key("order")
            writer.int(location.order.rawValue)
            writer.endObject()
        }
        writer.endObject()
        writer.key("accounts")
        writer.beginObject()
        for (account, ref) in accounts {
            writer.key(account.rawValue)
            writer.int(ref.rawValue)
        }
        writer.endObject()
        writer.key("earlyHolds")
        try writer.encoded(earlyHolds)
        writer.endObject()
    }
}

extension InstrumentState {
    func writeSnapshotJSON(into writer: inout SnapshotJSONWriter) throws {
        writer.beginObject()
        writer.key("id")
        writer.string(id.rawValue)
        if let session {
            writer.key("session")
            try writer.encoded(session)
        }
        if let previousClose {
            writer.key("previousClose")
            writer.int(previousClose.rawValue)
        }
        writer.key("book")
        book.writeSnapshotJSON(into: &writer)
        writer.key("orders")
        writer.beginArray()
        for order in orders { order.writeSnapshotJSON(into: &writer) }
        writer.endArray()
        writer.key("blockQuotes")
        writer.beginArray()
        for quote in blockQuotes { writer.int(quote.rawValue) }
        writer.endArray()
        if let auction {
            writer.key("auction")
            try writer.encoded(auction)
        }
        writer.endObject()
    }
}

extension OrderRecord {
    func writeSnapshotJSON(into writer: inout SnapshotJSONWriter) {
        writer.beginObject()
        writer.key("request")
        writer.beginObject()
        writer.key("orderID")
        writer.string(request.orderID.rawValue)
        writer.key("account")
        writer.string(request.account.rawValue)
        writer.key("instrument")
        writer.string(request.instrument.rawValue)
        writer.key("side")
        writer.string(request.side.rawValue)
        writer.key("method")
        writer.string(request.method.rawValue)
        writer.key("quantity")
        writer.int(request.quantity.rawValue)
        writer.key("price")
        writer.int(request.price.rawValue)
        if let counterparty = request.counterparty {
            writer.key("counterparty")
            writer.string(counterparty.rawValue)
        }
        writer.endObject()
        writer.key("accountRef")
        writer.int(accountRef.rawValue)
        writer.key("status")
        writer.string(status.rawValue)
        writer.key("remaining")
        writer.int(remaining.rawValue)
        if let slot {
            writer.key("slot")
            writer.int(slot.rawValue)
        }
        writer.endObject()
    }
}

extension ListedBook {
    func writeSnapshotJSON(into writer: inout SnapshotJSONWriter) {
        writer.beginObject()
        writer.key("base")
        writer.int(base)
        writer.key("levels")
        writer.beginArray()
        for level in levels {
            writer.beginObject()
            writer.key("head")
            writer.int(level.head)
            writer.key("tail")
            writer.int(level.tail)
            writer.key("count")
            writer.int(level.count)
            writer.key("quantity")
            writer.int(level.quantity)
            writer.endObject()
        }
        writer.endArray()
        writer.key("occupancy")
        writer.beginArray()
        for word in occupancy { writer.int(word) }
        writer.endArray()
        writer.key("bestBidIndex")
        writer.int(bestBidIndex)
        writer.key("bestAskIndex")
        writer.int(bestAskIndex)
        writer.key("nodes")
        writer.beginArray()
        for node in nodes {
            writer.beginObject()
            writer.key("next")
            writer.int(node.next)
            writer.key("prev")
            writer.int(node.prev)
            writer.key("order")
            writer.int(node.order)
            writer.key("account")
            writer.int(node.account)
            writer.key("price")
            writer.int(node.price)
            writer.key("remaining")
            writer.int(node.remaining)
            writer.endObject()
        }
        writer.endArray()
        writer.key("freeNode")
        writer.int(freeNode)
        writer.key("restingOrderCount")
        writer.int(restingOrderCount)
        if let lastPrice {
            writer.key("lastPrice")
            writer.int(lastPrice.rawValue)
        }
        writer.key("maximumSpan")
        writer.int(maximumSpan)
        writer.endObject()
    }
}
