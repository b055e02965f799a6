/// Replaying a file of listed orders through one book: the `matching-bench --input` mode, kept
/// here (not in the executable) so that tests can reach it.
///
/// Input: a header naming the columns `id,side,price,quantity` and optionally `account`, in any
/// order, then one order per line (side `buy`|`sell`, price in fen, quantity in tonnes). Plain
/// comma-separated values: quoted fields are not supported. Blank lines are skipped.
public enum CSVReplay {
    /// Parses the whole file.
    /// - Throws: `CSVReplayError` naming the first bad line (1-based, counting the header).
    public static func parseOrders(_ text: String) throws(CSVReplayError) -> [ReplayOrder] {
        try parseOrders(Array(text.utf8))
    }

    /// Parses the whole file from its bytes (UTF-8).
    /// - Throws: `CSVReplayError` naming the first bad line (1-based, counting the header).
    public static func parseOrders(_ bytes: [UInt8]) throws(CSVReplayError) -> [ReplayOrder] {
        var orders: [ReplayOrder] = []
        var columns: Columns?
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            let fields = splitFields(bytes[start..<end])
            start = end + 1
            if fields.count == 1, fields[0].isEmpty { continue }
            if let columns {
                orders.append(try parseOrder(fields, columns: columns, line: lineNumber))
            } else {
                columns = try Columns(header: fields, line: lineNumber)
            }
        }
        guard columns != nil else {
            throw CSVReplayError(line: max(lineNumber, 1), message: "the file is empty; expected a header id,side,price,quantity")
        }
        return orders
    }

    /// Splits one line on commas, trimming spaces, tabs and a trailing carriage return.
    static func splitFields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { field in
            var field = field
            while let last = field.last, last == 13 || last == 32 || last == 9 { field = field.dropLast() }
            while let first = field.first, first == 32 || first == 9 { field = field.dropFirst() }
            return field
        }
    }

    private static func parseOrder(_ fields: [ArraySlice<UInt8>], columns: Columns, line: Int)
        throws(CSVReplayError) -> ReplayOrder
    {
        guard fields.count == columns.count else {
            throw CSVReplayError(line: line, message: "expected \(columns.count) fields, found \(fields.count)")
        }
        if fields.contains(where: { $0.contains(UInt8(ascii: "\"")) }) {
            throw CSVReplayError(line: line, message: "quoted fields are not supported")
        }
        let id = String(decoding: fields[columns.id], as: UTF8.self)
        guard !id.isEmpty else { throw CSVReplayError(line: line, message: "the order id is empty") }
        let sideText = String(decoding: fields[columns.side], as: UTF8.self)
        guard let side = Side(rawValue: sideText.lowercased()) else {
            throw CSVReplayError(line: line, message: "side '\(sideText)' must be buy or sell")
        }
        guard let price = parsePositive(fields[columns.price]) else {
            throw CSVReplayError(line: line, message: "price '\(String(decoding: fields[columns.price], as: UTF8.self))' must be a positive whole number of fen")
        }
        guard let quantity = parsePositive(fields[columns.quantity]) else {
            throw CSVReplayError(line: line, message: "quantity '\(String(decoding: fields[columns.quantity], as: UTF8.self))' must be a positive whole number of tonnes")
        }
        var account: AccountID?
        if let column = columns.account {
            let text = String(decoding: fields[column], as: UTF8.self)
            account = text.isEmpty ? nil : AccountID(text)
        }
        return ReplayOrder(line: line, id: OrderID(id), side: side, price: Fen(price), quantity: Tonnes(quantity),
                           account: account)
    }

    /// A positive decimal integer that fits in `Int64`, or `nil`.
    static func parsePositive(_ digits: ArraySlice<UInt8>) -> Int64? {
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value > 0 ? value : nil
    }

    /// Where each known column is in the header.
    struct Columns {
        var id = -1, side = -1, price = -1, quantity = -1
        var account: Int?
        var count = 0

        init(header: [ArraySlice<UInt8>], line: Int) throws(CSVReplayError) {
            count = header.count
            for (index, field) in header.enumerated() {
                let name = String(decoding: field, as: UTF8.self).lowercased()
                switch name {
                case "id" where id < 0: id = index
                case "side" where side < 0: side = index
                case "price" where price < 0: price = index
                case "quantity" where quantity < 0: quantity = index
                case "account" where account == nil: account = index
                default:
                    throw CSVReplayError(line: line, message: "unexpected or repeated column '\(name)'; the header must be id,side,price,quantity with an optional account")
                }
            }
            let missing = [("id", id), ("side", side), ("price", price), ("quantity", quantity)]
                .filter { $0.1 < 0 }.map(\.0)
            guard missing.isEmpty else {
                throw CSVReplayError(line: line, message: "the header lacks the column(s) \(missing.joined(separator: ", "))")
            }
        }
    }
}

/// One order line of a replay file.
public struct ReplayOrder: Equatable, Sendable {
    /// The line it came from (1-based, counting the header).
    public var line: Int
    public var id: OrderID
    public var side: Side
    public var price: Fen
    public var quantity: Tonnes
    /// The account, when the file has an `account` column; otherwise each order is its own
    /// account (no self-trade can happen).
    public var account: AccountID?

    public init(line: Int, id: OrderID, side: Side, price: Fen, quantity: Tonnes, account: AccountID? = nil) {
        self.line = line
        self.id = id
        self.side = side
        self.price = price
        self.quantity = quantity
        self.account = account
    }
}

/// A bad line in a replay file.
public struct CSVReplayError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
