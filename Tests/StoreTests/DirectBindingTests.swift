import Foundation
import GRDB
import Store
import Testing

@Suite("Statements run with direct binding")
struct DirectBindingTests {
    let queue: DatabaseQueue

    init() throws {
        queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n INTEGER, u TEXT NOT NULL UNIQUE)")
        }
    }

    @Test func everyValueReadsBackWhole() throws {
        let cases: [(Int64, String, Data?, Int?, String)] = [
            (Int64.min, "", Data(), nil, "a"),
            (Int64.max, "ozone O₃ 臭氧 \u{0}after-nul", Data([0, 1, 255]), 7, "b"),
            (0, String(repeating: "x", count: 70_000), nil, -1, "c"),
        ]
        try queue.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO t (i, s, b, n, u) VALUES (?, ?, ?, ?, ?)")
            for (i, s, b, n, u) in cases {
                try statement.run { $0.bind(i); $0.bind(s); $0.bind(b); $0.bind(n); $0.bind(u) }
            }
        }
        let rows = try queue.read {
            try Row.fetchAll($0, sql: "SELECT i, CAST(s AS BLOB), b, n, u, typeof(s), typeof(b) FROM t ORDER BY u")
        }
        #expect(rows.count == 3)
        for (row, expected) in zip(rows, cases) {
            #expect(row[0] as Int64 == expected.0)
            // Read as bytes: the text keeps everything after a NUL (GRDB's own binding stops there).
            #expect(row[1] as Data? ?? Data() == Data(expected.1.utf8))
            #expect(row[2] as Data? == expected.2)
            #expect(row[3] as Int? == expected.3)
            #expect(row[5] as String == "text") // the empty string is text, not NULL
        }
        #expect(rows[0][6] as String == "blob") // empty data is an empty blob, not NULL
        #expect(rows[2][6] as String == "null")
    }

    @Test func aFailedStepThrowsSQLitesErrorAndLeavesTheStatementReusable() throws {
        try queue.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO t (i, s, b, n, u) VALUES (?, ?, NULL, NULL, ?)")
            try statement.run { $0.bind(1); $0.bind("one"); $0.bind("same") }
            do {
                try statement.run { $0.bind(2); $0.bind("two"); $0.bind("same") }
                Issue.record("a duplicate of a unique column was accepted")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT)
                #expect(error.message?.contains("UNIQUE") == true)
            }
            try statement.run { $0.bind(3); $0.bind("three"); $0.bind("other") }
        }
        #expect(try queue.read { try Int.fetchAll($0, sql: "SELECT i FROM t ORDER BY i") } == [1, 3])
    }

    @Test func aBorrowedBlobIsStoredWholeAndNotKeptBoundAfterTheRun() throws {
        let blob = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try queue.write { db in
            // The blob is the last parameter, so a run can leave it unbound.
            let statement = try db.cachedStatement(sql: "INSERT INTO t (i, s, b, n, u) VALUES (?1, 'x', ?3, NULL, ?2)")
            try blob.withUnsafeBytes { bytes in
                try statement.run { $0.bind(1); $0.bind("borrowed"); $0.bindBorrowed(bytes) }
            }
            // Had the pointer stayed bound, SQLite would read it again here.
            try statement.run { $0.bind(2); $0.bind("unbound") }
            try [UInt8]().withUnsafeBytes { empty in
                try statement.run { $0.bind(3); $0.bind("empty"); $0.bindBorrowed(empty) }
            }
        }
        let rows = try queue.read { try Row.fetchAll($0, sql: "SELECT b, typeof(b) FROM t ORDER BY i") }
        #expect(rows.count == 3)
        #expect(rows[0][0] as Data? == Data(blob))
        #expect(rows[1][1] as String == "null")
        #expect(rows[2][1] as String == "blob") // an empty buffer is an empty blob, as with Data
    }
}
