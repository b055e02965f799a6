/// Issuing certified offsets (CCER): the authority credits an entity's holding for a certified
/// project's reductions, through the same double-entry issuance as allocation, so the
/// conservation law (held + retired = issued - clawed back) covers offsets too.
///
/// Kept apart from `issue(to:_:quantity:reference:)` because its rules differ: only CCER
/// (allowances come from allocation alone), and the reference is an outside issuance id, so it
/// lives in its own namespace of ledger references and a repeat is refused in words an
/// operator recognises.
extension HoldingsLedger {
    /// The ledger reference of issuance `issuanceId`: prefixed, so that an outside id can never
    /// collide with a reference the registry makes itself (`allocation:2020:pre`).
    public static func offsetReference(_ issuanceId: String) -> String { "offsets:\(issuanceId)" }

    /// Whether issuance `issuanceId` of `instrument` was already credited to `owner`.
    public func hasIssuedOffsets(_ issuanceId: String, to owner: String, _ instrument: Instrument = .ccer) -> Bool {
        references.contains(ReferenceKey(kind: .issue, reference: Self.offsetReference(issuanceId), owner: owner,
                                         instrument: instrument))
    }

    /// Issues `quantity` offsets of `instrument` to `owner` under issuance id `issuanceId`.
    ///
    /// The issuance id is unique per owner and instrument (the registry's state is keyed by
    /// entity, so that is what one instance can always check): the same id twice issues once.
    /// - Throws: `invalid-instrument` for anything but CCER, `invalid-reference` for an empty
    ///   id, `duplicate-reference` for an id already issued to `owner`, `invalid-quantity`,
    ///   `unknown-account`. Nothing changes when it throws.
    @discardableResult
    public mutating func issueOffsets(to owner: String, _ instrument: Instrument = .ccer, quantity: Int,
                                      issuanceId: String) throws(RegistryRefusal) -> JournalEntry {
        guard instrument == .ccer else {
            let why = instrument == .cea ? "allowances (CEA) are issued by allocation" : "no offset rule covers \(instrument)"
            throw RegistryRefusal(code: RefusalCode.invalidInstrument, reason: "only CCER can be issued as offsets; \(why)")
        }
        if issuanceId.isEmpty {
            throw RegistryRefusal(code: RefusalCode.invalidReference, reason: "the issuance id must not be empty")
        }
        if hasIssuedOffsets(issuanceId, to: owner, instrument) {
            throw RegistryRefusal(code: RefusalCode.duplicateReference, reason:
                "issuance \(issuanceId) of \(instrument.rawValue) was already credited to \(owner); it issues once")
        }
        return try issue(to: owner, instrument, quantity: quantity, reference: Self.offsetReference(issuanceId))
    }
}
