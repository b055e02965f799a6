/// The ids of the crossing orders: pair `i` is the sell `s<i>` and the buy `b<i>`, produced in
/// that order. A trade names its two orders by id; `sequence(of:)` turns an id back into the
/// order's place in the load, where its produce time is kept, without a dictionary of strings.
enum OrderIDs {
    static func sell(_ pair: Int) -> String { "s" + String(pair) }
    static func buy(_ pair: Int) -> String { "b" + String(pair) }

    /// The position in the load (sell of pair `i` at `2i`, buy at `2i + 1`), or nil for an id
    /// this benchmark did not submit.
    static func sequence(of orderId: String) -> Int? {
        guard let first = orderId.utf8.first, let pair = Int(orderId.dropFirst()), pair >= 0 else { return nil }
        switch first {
        case UInt8(ascii: "s"): return 2 * pair
        case UInt8(ascii: "b"): return 2 * pair + 1
        default: return nil
        }
    }
}
