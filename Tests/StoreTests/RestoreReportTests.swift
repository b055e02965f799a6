import GRDB
import Store
import Testing

/// Which failures of a rebuild from a snapshot pass the snapshot over for the whole journal and
/// which reach the caller, who retries (`RestoreReport.attempt`).
@Suite("Restoring from a snapshot")
struct RestoreReportTests {
    struct Damaged: Error, CustomStringConvertible {
        var description: String { "checksum does not match" }
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

    /// Bytes SQLite cannot read as they are would fail every retry the same way; the journal,
    /// on other pages, may still replay.
    @Test(arguments: [ResultCode.SQLITE_CORRUPT, .SQLITE_TOOBIG])
    func unreadableSnapshotBytesArePassedOver(_ code: ResultCode) throws {
        let (rebuilt, refused) = try RestoreReport.attempt { () throws -> Int? in
            throw DatabaseError(resultCode: code, message: "damaged page")
        }
        #expect(rebuilt == nil)
        #expect(refused?.hasPrefix("the store could not read the snapshot") == true)
    }

    /// A store that cannot be read now (busy, I/O, full) is the caller's to retry, not a reason
    /// to replay the whole journal.
    @Test(arguments: [ResultCode.SQLITE_BUSY, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_NOMEM])
    func passingStorageFaultsReachTheCaller(_ code: ResultCode) {
        #expect(throws: DatabaseError.self) {
            _ = try RestoreReport.attempt { () throws -> Int? in throw DatabaseError(resultCode: code) }
        }
    }
}
