import Foundation
import GRDB
import GRDBSQLite
import Store
import Testing

/// Which failures of a rebuild from a snapshot pass the snapshot over for the whole journal and
/// which reach the caller, who retries (`RestoreReport.attempt`, `LedgerSnapshotTable.load`).
@Suite("Restoring from a snapshot")
struct RestoreReportTests {
    struct Damaged: Error, CustomStringConvertible {
        var description: String { "checksum does not match" }
    }

    /// A snapshot of some bytes, for the table's own checks.
    struct Blob: StorableLedgerSnapshot {
        var bytes: [UInt8]
        var format: Int { 1 }
        var storedSequence: Int64 { 7 }
        var storedTradingDay: String? { "2026-07-16" }
        func encoded() -> [UInt8] { bytes }
        init(bytes: [UInt8]) { self.bytes = bytes }
        init(decoding bytes: [UInt8]) throws { self.bytes = bytes }
    }

    @Test func aSnapshotThatRebuildsIsUsed() throws {
        let (rebuilt, refused) = try RestoreReport.attempt { 42 }
        #expect(rebuilt == 42 && refused == nil)
    }

    @Test func noStoredSnapshotIsNoRefusal() throws {
        let (rebuilt, refused) = try RestoreReport.attempt { () -> Int? in nil }
        #expect(rebuilt == nil && refused == nil)
    }

    @Test func aSnapshotThatCannotBeTrustedIsPassedOverWithTheReason() throws {
        let (rebuilt, refused) = try RestoreReport.attempt { () throws -> Int? in throw Damaged() }
        #expect(rebuilt == nil && refused == "checksum does not match")
    }

    /// A store that cannot be read (busy, I/O, full, corrupt pages of the ledger's other tables)
    /// is the caller's to retry, not a reason to replay the whole journal without those checks.
    @Test(arguments: [ResultCode.SQLITE_BUSY, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_NOMEM, .SQLITE_CORRUPT])
    func storageFaultsReachTheCaller(_ code: ResultCode) {
        #expect(throws: DatabaseError.self) {
            _ = try RestoreReport.attempt { () throws -> Int? in throw DatabaseError(resultCode: code) }
        }
    }

    /// Bytes of the snapshot's own row that SQLite will not hand over as they are (here: longer
    /// than the connection's length limit, `SQLITE_TOOBIG`) would fail every retry the same way:
    /// the row is passed over, with the reason, for the journal on other pages.
    @Test func aSnapshotRowSQLiteCannotReadIsPassedOver() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try LedgerSnapshotTable.create(db)
            try LedgerSnapshotTable.store(db, Blob(bytes: Array(repeating: 7, count: 10_000)), atMilliseconds: 1)
        }
        #expect(try queue.read { try LedgerSnapshotTable.load($0, as: Blob.self) }?.bytes.count == 10_000)
        let (rebuilt, refused) = try queue.read { db in
            _ = sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_LENGTH, 1_000)
            return try RestoreReport.attempt { try LedgerSnapshotTable.load(db, as: Blob.self) }
        }
        #expect(rebuilt == nil)
        #expect(refused?.contains("could not read the snapshot's row") == true, "\(refused ?? "nil")")
    }
}
