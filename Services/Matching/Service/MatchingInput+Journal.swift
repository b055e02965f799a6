import Foundation
import MatchingDomain

/// The journal's JSON form of an input: one flat object with the contract's field names and a
/// `type`, e.g. `{"type":"submit","orderId":"o-1","accountId":"a","instrument":"CEA","side":"buy",
/// "method":"listed","quantity":10,"price":5000}`.
///
/// Written out explicitly rather than synthesized, so that the journal's format is a stated
/// contract of this service (a journal must replay after the Swift types change) and so that the
/// hot inputs (orders, holds, cancels) are written without `JSONEncoder`, which costs as much as
/// the rest of applying them.
extension MatchingInput: Codable {
    enum Key: String, CodingKey {
        case type, orderId, accountId, instrument, side, method, quantity, price, counterpartyId
        case code, reason, tradingDay, referencePrice, methods
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        func text(_ key: Key) throws -> String { try c.decode(String.self, forKey: key) }
        let instrument = { InstrumentID(try text(.instrument)) }
        let type = try text(.type)
        switch type {
        case "submit":
            self = .submit(OrderRequest(
                orderID: OrderID(try text(.orderId)), account: AccountID(try text(.accountId)), instrument: try instrument(),
                side: try c.decode(MatchingDomain.Side.self, forKey: .side),
                method: try c.decode(MatchingDomain.TradingMethod.self, forKey: .method),
                quantity: Tonnes(try c.decode(Int64.self, forKey: .quantity)), price: Fen(try c.decode(Int64.self, forKey: .price)),
                counterparty: try c.decodeIfPresent(String.self, forKey: .counterpartyId).map { AccountID($0) }))
        case "cancel":
            self = .cancel(orderID: OrderID(try text(.orderId)), account: AccountID(try text(.accountId)), instrument: try instrument())
        case "hold-placed":
            self = .holdPlaced(orderID: OrderID(try text(.orderId)))
        case "hold-refused":
            self = .holdRefused(orderID: OrderID(try text(.orderId)), code: RejectionCode(rawValue: try text(.code)),
                                reason: try text(.reason))
        case "open-session":
            self = .openSession(instrument: try instrument(), tradingDay: TradingDay(try text(.tradingDay)),
                                referencePrice: try c.decodeIfPresent(Int64.self, forKey: .referencePrice).map { Fen($0) },
                                methods: try Self.methods(c))
        case "set-methods":
            self = .setMethods(instrument: try instrument(), methods: try Self.methods(c))
        case "close-session":
            self = .closeSession(instrument: try instrument(), tradingDay: TradingDay(try text(.tradingDay)),
                                 referencePrice: try c.decodeIfPresent(Int64.self, forKey: .referencePrice).map { Fen($0) })
        case "close-auction":
            self = .closeAuction(instrument: try instrument())
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown journal input '\(type)'")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: .type)
        switch self {
        case .submit(let order):
            try c.encode(order.orderID.rawValue, forKey: .orderId)
            try c.encode(order.account.rawValue, forKey: .accountId)
            try c.encode(order.instrument.rawValue, forKey: .instrument)
            try c.encode(order.side, forKey: .side)
            try c.encode(order.method, forKey: .method)
            try c.encode(order.quantity.rawValue, forKey: .quantity)
            try c.encode(order.price.rawValue, forKey: .price)
            try c.encodeIfPresent(order.counterparty?.rawValue, forKey: .counterpartyId)
        case .cancel(let orderID, let account, let instrument):
            try c.encode(orderID.rawValue, forKey: .orderId)
            try c.encode(account.rawValue, forKey: .accountId)
            try c.encode(instrument.rawValue, forKey: .instrument)
        case .holdPlaced(let orderID):
            try c.encode(orderID.rawValue, forKey: .orderId)
        case .holdRefused(let orderID, let code, let reason):
            try c.encode(orderID.rawValue, forKey: .orderId)
            try c.encode(code.rawValue, forKey: .code)
            try c.encode(reason, forKey: .reason)
        case .openSession(let instrument, let day, let reference, let methods):
            try c.encode(instrument.rawValue, forKey: .instrument)
            try c.encode(day.rawValue, forKey: .tradingDay)
            try c.encodeIfPresent(reference?.rawValue, forKey: .referencePrice)
            try c.encode(methods.names, forKey: .methods)
        case .setMethods(let instrument, let methods):
            try c.encode(instrument.rawValue, forKey: .instrument)
            try c.encode(methods.names, forKey: .methods)
        case .closeSession(let instrument, let day, let reference):
            try c.encode(instrument.rawValue, forKey: .instrument)
            try c.encode(day.rawValue, forKey: .tradingDay)
            try c.encodeIfPresent(reference?.rawValue, forKey: .referencePrice)
        case .closeAuction(let instrument):
            try c.encode(instrument.rawValue, forKey: .instrument)
        }
    }

    private static func methods(_ c: KeyedDecodingContainer<Key>) throws -> MethodSet {
        try c.decode([MatchingDomain.TradingMethod].self, forKey: .methods).reduce(into: MethodSet()) { $0.insert(MethodSet($1)) }
    }

    /// The journal text of this input: written by hand for orders, holds and cancels whose
    /// strings need no escaping (the contract restricts ids to letters, digits and `._:-`),
    /// by `JSONEncoder` for everything else. Both decode to the same input.
    func journalText() throws -> String {
        String(decoding: try journalUTF8(), as: UTF8.self)
    }

    /// `journalText` as UTF-8 bytes, which is how the journal stores it: built as bytes, the
    /// order's text no longer goes through a dozen `String` concatenations per input.
    func journalUTF8() throws -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .submit(let o) where Self.plain(o.orderID.rawValue, o.account.rawValue, o.instrument.rawValue,
                                             o.counterparty?.rawValue ?? ""):
            out.reserveCapacity(160)
            Self.append(#"{"type":"submit","orderId":""#, o.orderID.rawValue, to: &out)
            Self.append(#"","accountId":""#, o.account.rawValue, to: &out)
            Self.append(#"","instrument":""#, o.instrument.rawValue, to: &out)
            Self.append(#"","side":""#, o.side.rawValue, to: &out)
            Self.append(#"","method":""#, o.method.rawValue, to: &out)
            Self.append(#"","quantity":"#, String(o.quantity.rawValue), to: &out)
            Self.append(#","price":"#, String(o.price.rawValue), to: &out)
            if let counterparty = o.counterparty {
                Self.append(#","counterpartyId":""#, counterparty.rawValue, to: &out)
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: "}"))
        case .holdPlaced(let orderID) where Self.plain(orderID.rawValue):
            Self.append(#"{"type":"hold-placed","orderId":""#, orderID.rawValue, to: &out)
            Self.append(#""}"#, "", to: &out)
        case .cancel(let orderID, let account, let instrument) where Self.plain(orderID.rawValue, account.rawValue, instrument.rawValue):
            Self.append(#"{"type":"cancel","orderId":""#, orderID.rawValue, to: &out)
            Self.append(#"","accountId":""#, account.rawValue, to: &out)
            Self.append(#"","instrument":""#, instrument.rawValue, to: &out)
            Self.append(#""}"#, "", to: &out)
        default:
            out = Array(try JSONEncoder().encode(self))
        }
        return out
    }

    /// Appends a literal and a value that needs no escaping.
    private static func append(_ literal: StaticString, _ value: String, to out: inout [UInt8]) {
        literal.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: value.utf8)
    }

    /// Whether every string can go into JSON between quotes as it is.
    private static func plain(_ texts: String...) -> Bool {
        texts.allSatisfy { $0.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 < 0x7F } }
    }
}
