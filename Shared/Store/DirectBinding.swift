import Foundation
import GRDB
import GRDBSQLite

/// Runs a prepared statement with its values bound through SQLite's C API.
///
/// GRDB's `execute(arguments:)` boxes every value into a `StatementArguments` array of
/// `DatabaseValue`s and validates it on each call; on the paths every record takes (inbox,
/// outbox, an air-alert reading) that boxing cost more than SQLite's own execution. This binds
/// each value in place and steps the statement to completion. It is for statements that write
/// or return nothing the caller reads (INSERT, UPDATE, SAVEPOINT) inside a transaction GRDB
/// opened; errors are GRDB's `DatabaseError` with SQLite's message, as `execute` throws them.
extension Statement {
    /// Binds and steps once; a row it returns is not read (`forEachRow` stops at it).
    public func run(_ bind: (inout DirectBinder) -> Void = { _ in }) throws {
        try forEachRow(bind) { _ in false }
    }
}

/// Binds values to a statement's parameters in order, from the first.
public struct DirectBinder {
    fileprivate let statement: OpaquePointer
    private var index: CInt = 1
    /// Whether a value was bound in place (`bindBorrowed`), to be cleared after the run.
    private(set) var borrows = false

    init(boundTo statement: OpaquePointer) { self.statement = statement }

    /// SQLite copies text and blobs before the call returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    public mutating func bind(_ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
        index += 1
    }

    public mutating func bind(_ value: Int) { bind(Int64(value)) }

    public mutating func bind(_ value: Int32) { bind(Int64(value)) }

    public mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    public mutating func bind(_ value: String) {
        var text = value
        text.withUTF8 { bindText($0) }
    }

    /// Binds UTF-8 bytes as TEXT (copied by SQLite), for text built as bytes without a `String`.
    public mutating func bindText(_ utf8: [UInt8]) {
        utf8.withUnsafeBufferPointer { bindText($0) }
    }

    private mutating func bindText(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = bytes.withMemoryRebound(to: CChar.self) { chars in
            if let base = chars.baseAddress {
                sqlite3_bind_text(statement, index, base, CInt(chars.count), Self.transient)
            } else {
                sqlite3_bind_text(statement, index, "", 0, Self.transient) // "" is text, not NULL
            }
        }
        index += 1
    }

    public mutating func bind(_ value: Data) {
        if value.isEmpty {
            sqlite3_bind_zeroblob(statement, index, 0)
        } else {
            _ = value.withUnsafeBytes { bytes in
                sqlite3_bind_blob(statement, index, bytes.baseAddress, CInt(bytes.count), Self.transient)
            }
        }
        index += 1
    }

    /// Binds a blob SQLite reads where it lies (`SQLITE_STATIC`) instead of copying it: for
    /// one large value written once (a matching snapshot is tens of megabytes). The bytes must
    /// stay valid while the statement runs; `run` and `forEachRow` clear the binding before
    /// they return, so SQLite never keeps the pointer.
    public mutating func bindBorrowed(_ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, !bytes.isEmpty {
            sqlite3_bind_blob(statement, index, base, CInt(bytes.count), nil) // nil: SQLITE_STATIC
            borrows = true
        } else {
            sqlite3_bind_zeroblob(statement, index, 0)
        }
        index += 1
    }

    public mutating func bindNull() {
        sqlite3_bind_null(statement, index)
        index += 1
    }

    public mutating func bind(_ value: Int64?) { if let value { bind(value) } else { bindNull() } }
    public mutating func bind(_ value: Int?) { if let value { bind(value) } else { bindNull() } }
    public mutating func bind(_ value: String?) { if let value { bind(value) } else { bindNull() } }
    public mutating func bind(_ value: Data?) { if let value { bind(value) } else { bindNull() } }
}
