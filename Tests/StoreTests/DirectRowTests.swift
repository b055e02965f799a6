import Foundation
import GRDB
import Store
import Testing

/// `DirectRow` must read back every value `DirectBinder` stores, NULLs included.
@Suite("Rows read in place")
struct DirectRowTests {
    let queue: DatabaseQueue
    static let cases: [(Int64?, String?)] = [(Int64.min, ""), (Int64.max, "ozone O₃ 臭氧 \u{0}after-nul"), (nil, nil),
                                             (0, String(repeating: "x", count: 70_000)), (-1, "42")]

    init() throws {
        queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, i INTEGER, s TEXT)")
            let insert = try db.cachedStatement(sql: "INSERT INTO t (k, i, s) VALUES (?, ?, ?)")
            for (k, (i, s)) in Self.cases.enumerated() {
                try insert.run { $0.bind(k); $0.bind(i); $0.bind(s) }
            }
        }
    }

    @Test func everyValueReadsBackWhole() throws {
        try queue.read { db in
            let select = try db.cachedStatement(sql: "SELECT i, s, k FROM t WHERE k = ?")
            for k in 0..<5 {
                let direct = try select.fetchFirst({ $0.bind(k) }) { row in
                    (row.optionalInt64(0), row.optionalString(1), row.string(2), row.isNull(0))
                }
                // Text whole, past a NUL byte too (GRDB's `String` would stop at it).
                #expect(direct?.0 == Self.cases[k].0)
                #expect(direct?.1 == Self.cases[k].1)
                #expect(direct?.2 == String(k)) // a number read as text: SQLite's conversion
                #expect(direct?.3 == (Self.cases[k].0 == nil))
            }
            #expect(try select.fetchFirst({ $0.bind(99) }) { $0.int64(0) } == nil)
        }
    }

    @Test func rowsComeInOrderUntilTheBodyStops() throws {
        try queue.read { db in
            let select = try db.cachedStatement(sql: "SELECT k FROM t WHERE k >= ? ORDER BY k")
            var all: [Int64] = []
            try select.forEachRow({ $0.bind(1) }) { all.append($0.int64(0)); return true }
            #expect(all == [1, 2, 3, 4])
            var firstTwo: [Int64] = []
            try select.forEachRow({ $0.bind(0) }) { firstTwo.append($0.int64(0)); return firstTwo.count < 2 }
            #expect(firstTwo == [0, 1])
            // The statement was reset: it runs again from the start.
            #expect(try select.fetchFirst({ $0.bind(3) }) { $0.int64(0) } == 3)
        }
    }

    @Test func aFailingStepThrowsSQLitesMessageAndTheStatementRunsAgain() throws {
        try queue.write { db in
            let select = try db.cachedStatement(sql: "SELECT abs(?)")
            let error = #expect(throws: DatabaseError.self) {
                try select.fetchFirst({ $0.bind(Int64.min) }) { $0.int64(0) }
            }
            #expect(error?.message?.contains("integer overflow") == true, "\(String(describing: error))")
            #expect(try select.fetchFirst({ $0.bind(-5) }) { $0.int64(0) } == 5)
        }
    }
}
