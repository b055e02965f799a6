import BinaryCoding

/// The stored form of a `HoldingsLedgerSnapshot`, in `BinaryWriter`'s compact layout (the
/// settlement's ledger snapshot uses the same): the mark `EHS`, the format byte, then every
/// field in declaration order; enumerations and instruments as their raw text, the trading day
/// as `yyyy-MM-dd`; then the checksum of all that (`BinaryWriter.sealed()`). `HoldingsLedger`'s
/// restore checks what the values mean.
extension HoldingsLedgerSnapshot {
    static let mark: [UInt8] = Array("EHS".utf8)

    /// The snapshot's bytes.
    public func encoded() -> [UInt8] {
        var writer = BinaryWriter(capacity: 40 * (balances.count + holds.count + trades.count) + 64)
        writer.header(mark: Self.mark, format: format)
        writer.signed(sequence)
        writer.optional(tradingDay) { $0.string($1.description) }
        writer.array(owners) { $0.string($1) }
        writer.array(balances) { writer, balance in
            writer.string(balance.account.kind.rawValue); writer.string(balance.account.owner)
            writer.string(balance.account.instrument.rawValue); writer.signed(balance.quantity)
        }
        writer.array(acquired) { writer, item in
            writer.string(item.owner); writer.string(item.instrument.rawValue); writer.signed(item.quantity)
        }
        writer.array(holds) { writer, hold in
            writer.string(hold.orderId); writer.string(hold.owner); writer.string(hold.instrument.rawValue)
            writer.signed(hold.quantity); writer.signed(hold.remaining)
        }
        writer.array(trades) { $0.string($1) }
        writer.array(references) { writer, reference in
            writer.string(reference.kind.rawValue); writer.string(reference.reference); writer.string(reference.owner)
            writer.string(reference.instrument.rawValue)
        }
        writer.array(issued) { $0.string($1.instrument.rawValue); $0.signed($1.quantity) }
        writer.array(clawedBack) { $0.string($1.instrument.rawValue); $0.signed($1.quantity) }
        return writer.sealed()
    }

    /// The snapshot `bytes` hold.
    /// - Throws: `invalid-snapshot` when they are not a snapshot of the current format.
    public init(decoding bytes: [UInt8]) throws(RegistryRefusal) {
        do {
            try self.init(reading: bytes)
        } catch {
            throw RegistryRefusal(code: RefusalCode.invalidSnapshot, reason: "ledger snapshot: \(error.reason)")
        }
    }

    private init(reading bytes: [UInt8]) throws(BinaryDecodingError) {
        var reader = try BinaryReader(verifying: bytes)
        format = try reader.header(mark: Self.mark, "a holdings ledger snapshot", format: Self.currentFormat)
        sequence = try reader.int()
        tradingDay = try reader.optional(Self.readDay)
        owners = try reader.array(minimumBytes: 1, Self.readString)
        balances = try reader.array(minimumBytes: 4, Self.readBalance)
        acquired = try reader.array(minimumBytes: 3, Self.readAcquired)
        holds = try reader.array(minimumBytes: 5, Self.readHold)
        trades = try reader.array(minimumBytes: 1, Self.readString)
        references = try reader.array(minimumBytes: 4, Self.readReference)
        issued = try reader.array(minimumBytes: 2, Self.readTotal)
        clawedBack = try reader.array(minimumBytes: 2, Self.readTotal)
        guard reader.isAtEnd else { throw BinaryDecodingError("\(reader.bytes.count - reader.index) bytes follow the snapshot") }
    }

    private static func readString(_ reader: inout BinaryReader) throws(BinaryDecodingError) -> String {
        try reader.string()
    }

    private static func readDay(_ reader: inout BinaryReader) throws(BinaryDecodingError) -> CalendarDay {
        let text = try reader.string()
        guard let day = CalendarDay(text) else { throw BinaryDecodingError("'\(text)' is not a trading day") }
        return day
    }

    private static func readBalance(_ reader: inout BinaryReader) throws(BinaryDecodingError) -> Balance {
        let kind: AccountKind = try reader.kind()
        let owner = try reader.string()
        let instrument = Instrument(rawValue: try reader.string())
        return Balance(account: LedgerAccount(kind: kind, owner: owner, instrument: instrument), quantity: try reader.int())
    }

    private static func readAcquired(_ reader: inout BinaryReader) throws(BinaryDecodingError) -> Acquired {
        Acquired(owner: try reader.string(), instrument: Instrument(rawValue: try reader.string()), quantity: try reader.int())
    }

    private static func readHold(_ reader: inout BinaryReader) throws(BinaryDecodingError) -> Hold {
        Hold(orderId: try reader.string(), owner: try reader.string(), instrument: Instrument(rawValue: try reader.string()),
             quantity: try reader.int(), remaining: try reader.int())
    }

    private static func readReference(_ reader: inout BinaryReader) throws(BinaryDecodingError) -> Reference {
        Reference(kind: try reader.kind(), reference: try reader.string(), owner: try reader.string(),
                  instrument: Instrument(rawValue: try reader.string()))
    }

    private static func readTotal(_ reader: inout BinaryReader) throws(BinaryDecodingError) -> InstrumentTotal {
        InstrumentTotal(instrument: Instrument(rawValue: try reader.string()), quantity: try reader.int())
    }
}
