import BinaryCoding
import Testing

/// What `BinaryWriter` writes, `BinaryReader` reads back exactly, and damaged bytes are refused.
@Suite struct BinaryCodingTests {
    @Test func valuesRoundTripAtTheirExtremes() throws {
        let numbers: [Int64] = [0, 1, -1, 63, -64, 64, -65, 127, 128, 300, -300, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        let texts = ["", "a", "账户-甲", String(repeating: "x", count: 300), "\u{0}"]
        var writer = BinaryWriter()
        for number in numbers { writer.signed(number) }
        writer.unsigned(UInt64.max)
        for text in texts { writer.string(text) }
        writer.optional(Int64?.none) { $0.signed($1) }
        writer.optional(Int64?.some(-5)) { $0.signed($1) }
        writer.array(texts) { $0.string($1) }

        var reader = BinaryReader(bytes: writer.bytes)
        for number in numbers { #expect(try reader.signed() == number) }
        #expect(try reader.unsigned() == UInt64.max)
        for text in texts { #expect(try reader.string() == text) }
        #expect(try reader.optional { (reader: inout BinaryReader) throws(BinaryDecodingError) in try reader.signed() } == nil)
        #expect(try reader.optional { (reader: inout BinaryReader) throws(BinaryDecodingError) in try reader.signed() } == -5)
        #expect(try reader.array(minimumBytes: 1) { (reader: inout BinaryReader) throws(BinaryDecodingError) in
            try reader.string()
        } == texts)
        #expect(reader.isAtEnd)
    }

    @Test func smallNumbersTakeOneByte() {
        var writer = BinaryWriter()
        writer.signed(Int64(-64)); writer.signed(Int64(63)); writer.unsigned(127)
        #expect(writer.bytes == [127, 126, 127])
    }

    @Test func damagedBytesAreRefused() {
        func refuses(_ bytes: [UInt8], _ read: (inout BinaryReader) throws -> Void) -> Bool {
            var reader = BinaryReader(bytes: bytes)
            do { try read(&reader); return false } catch { return true }
        }
        // Longer than 64 bits, or ending inside a number.
        #expect(refuses(Array(repeating: 0x80, count: 9) + [0x02]) { _ = try $0.unsigned() })
        #expect(refuses(Array(repeating: 0xFF, count: 10) + [0x01]) { _ = try $0.unsigned() })
        #expect(refuses([0x80, 0x80]) { _ = try $0.unsigned() })
        // A string longer than what is left, or not UTF-8.
        #expect(refuses([5, 0x61, 0x62]) { _ = try $0.string() })
        #expect(refuses([2, 0xC3, 0x28]) { _ = try $0.string() })
        // An optional flag that is neither 0 nor 1.
        #expect(refuses([2, 0]) { _ = try $0.optional { (reader: inout BinaryReader) throws(BinaryDecodingError) in try reader.byte() } })
        // A count the bytes left could never hold: refused before anything is reserved.
        #expect(refuses([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0]) {
            _ = try $0.array(minimumBytes: 1) { (reader: inout BinaryReader) throws(BinaryDecodingError) in try reader.byte() }
        })
        // Another mark.
        #expect(refuses(Array("XYZ1".utf8)) { try $0.expect(Array("ELS".utf8), "a snapshot") })
        #expect(refuses(Array("EL".utf8)) { try $0.expect(Array("ELS".utf8), "a snapshot") })
        // A header of another format, or cut before its format byte.
        #expect(refuses(Array("ELS".utf8) + [2]) { _ = try $0.header(mark: Array("ELS".utf8), "a snapshot", format: 1) })
        #expect(refuses(Array("ELS".utf8)) { _ = try $0.header(mark: Array("ELS".utf8), "a snapshot", format: 1) })
    }

    @Test func aHeaderReadsBackAsWritten() throws {
        var writer = BinaryWriter(capacity: 8)
        writer.header(mark: Array("EHS".utf8), format: 3)
        writer.signed(-5)
        var reader = try BinaryReader(verifying: writer.sealed())
        #expect(try reader.header(mark: Array("EHS".utf8), "a snapshot", format: 3) == 3)
        #expect(try reader.signed() == -5 && reader.isAtEnd)
    }

    /// The checksum `sealed()` appends is the same bytes `seal()` appends in place (the ledgers'
    /// snapshots were sealed by the first, matching's by the second), and did not change.
    @Test func sealingInPlaceAppendsTheSameChecksum() throws {
        var writer = BinaryWriter()
        writer.string("ledger")
        writer.signed(Int64(-42))
        let sealed = writer.sealed()
        #expect(sealed == [6, 108, 101, 100, 103, 101, 114, 83] + Self.fnv1a64LittleEndian([6, 108, 101, 100, 103, 101, 114, 83]))
        writer.seal()
        #expect(writer.bytes == sealed)
        let reader = try BinaryReader(verifying: writer.take())
        #expect(reader.bytes == Array(sealed.dropLast(8)))
        #expect(writer.bytes.isEmpty, "take() leaves the writer empty")
    }

    /// FNV-1a 64 written out here, so the test does not check the code against itself.
    static func fnv1a64LittleEndian(_ bytes: [UInt8]) -> [UInt8] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return (0..<8).map { UInt8(truncatingIfNeeded: hash >> (8 * UInt64($0))) }
    }

    @Test func aWriterReusesTheBufferItIsGiven() {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        buffer.append(contentsOf: [1, 2, 3])
        let storage = buffer.withUnsafeBufferPointer { $0.baseAddress }
        var writer = BinaryWriter(reusing: &buffer)
        #expect(buffer.isEmpty && writer.bytes.isEmpty, "the writer starts empty and takes the storage")
        writer.string("again")
        buffer = writer.take()
        #expect(buffer == [5] + Array("again".utf8))
        #expect(buffer.withUnsafeBufferPointer { $0.baseAddress } == storage)
    }

    enum Colour: CaseIterable, Equatable { case red, green, blue }

    @Test func countsPartsNarrowNumbersAndCasesReadBackOrAreRefused() throws {
        var writer = BinaryWriter()
        writer.unsigned(2)
        writer.signed(Int64(Int32.min))
        writer.signed(Int64(Int32.max) + 1)
        writer.caseOf(Colour.blue)
        try writer.json(["k": 7])
        writer.byte(3)  // no Colour has position 3
        var reader = BinaryReader(bytes: writer.bytes)
        #expect(try reader.count(minimumBytes: 1) == 2)
        #expect(try reader.int32() == Int32.min)
        #expect(throws: BinaryDecodingError.self) { try reader.int32() }
        #expect(try reader.caseOf(Colour.allCases) == .blue)
        #expect(try reader.json([String: Int].self) == ["k": 7])
        #expect(throws: BinaryDecodingError.self) { try reader.caseOf(Colour.allCases) }

        var counts = BinaryReader(bytes: [200, 1, 0, 0])  // 200 values of at least one byte, three bytes left
        #expect(throws: BinaryDecodingError.self) { try counts.count(minimumBytes: 1) }
        var parts = BinaryReader(bytes: [5, 1, 2])
        #expect(throws: BinaryDecodingError.self) { try parts.part() }
        var notJSON = BinaryReader(bytes: [2, 0x7B, 0x7B])
        #expect(throws: BinaryDecodingError.self) { try notJSON.json([String: Int].self) }
    }
}
