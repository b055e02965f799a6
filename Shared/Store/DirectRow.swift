import Foundation
import GRDB
import GRDBSQLite

/// Reads the columns of the row a statement stands on through SQLite's C API.
///
/// Why beside GRDB's `Row`: `Row.fetchOne` copies the row into a generic `Row`, and each
/// `row[i] as T` goes through `DatabaseValueConvertible` with generic metadata lookups. On the
/// reads every trade takes (a trade's settlement row, an order's guard) that cost more than
/// SQLite's own lookup.
///
/// Two differences from `Row`, which callers rely on knowingly:
/// - it is lenient where `Row` traps: a non-optional read of NULL gives 0 or "", and SQLite
///   converts between integer, real and text. Read a nullable column with `optionalInt64` or
///   `optionalString`.
/// - it is only valid inside the closure it is handed to (the statement moves on or is reset
///   after it); never return it or keep it.
public struct DirectRow {
    fileprivate let statement: OpaquePointer

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(statement, column) == SQLITE_NULL
    }

    public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    public func optionalInt64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    /// The column as text; a number column reads as its decimal text (SQLite's conversion),
    /// NULL as "" (callers ask `optionalString` where NULL is possible).
    public func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    public func optionalString(_ column: Int32) -> String? {
        isNull(column) ? nil : string(column)
    }
}

extension Statement {
    /// Binds the arguments, steps once and reads the first row, if any, with `read`.
    /// Errors are GRDB's `DatabaseError` with SQLite's message, as `Row.fetchOne` throws them.
    public func fetchFirst<T>(_ bind: (inout DirectBinder) -> Void, read: (DirectRow) throws -> T) throws -> T? {
        var result: T?
        try forEachRow(bind) { row in
            result = try read(row)
            return false
        }
        return result
    }

    /// Binds the arguments and hands each row to `body` until it returns false or the rows end.
    public func forEachRow(_ bind: (inout DirectBinder) -> Void, _ body: (DirectRow) throws -> Bool) throws {
        let handle = sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        var binder = DirectBinder(boundTo: handle)
        bind(&binder)
        defer { if binder.borrows { sqlite3_clear_bindings(handle) } }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
            }
            guard try body(DirectRow(statement: handle)) else { return }
        }
    }
}
