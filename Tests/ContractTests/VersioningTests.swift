@testable import Contract
import Foundation
import Testing

/// The versioning rule: a reader takes the versions it supports, and a newer version that
/// declares itself compatible with one of them (an additive change); anything else is refused
/// with a reason naming the version.
@Suite("Versioning")
struct VersioningTests {
    let decoder = EventDecoder(catalogue: PayloadCatalogue([DepositFunds.self]))
    let deposit = DepositFunds(accountId: "A-co", amount: 100, reference: "bank-1")

    func bytes(version: Int, compatibleWith: Int? = nil, extraField: Bool = false) -> Data {
        let header = EnvelopeHeader(id: UUID(), type: DepositFunds.eventType, version: version, occurredAt: .now(),
                                    source: "newer-producer", compatibleWith: compatibleWith)
        var text = String(decoding: EventCodec().encode(header: header, payload: deposit), as: UTF8.self)
        if extraField { text = text.replacingOccurrences(of: "\"data\":{", with: "\"data\":{\"channel\":{\"name\":\"swift\"},") }
        return Data(text.utf8)
    }

    func refusal(_ data: Data) -> ContractError? {
        do {
            _ = try decoder.decode(data)
            return nil
        } catch {
            return error.error
        }
    }

    @Test func aNewerAdditiveVersionDeclaredCompatibleIsReadWithItsKnownFields() throws {
        let envelope = try decoder.decode(bytes(version: 2, compatibleWith: 1, extraField: true))
        #expect(envelope.payload(as: DepositFunds.self) == deposit)
        #expect(envelope.header.version == 2 && envelope.header.compatibleWith == 1)
    }

    @Test func aNewerVersionWithoutADeclarationIsAMajorChange() throws {
        let error = try #require(refusal(bytes(version: 2, extraField: true)))
        #expect(error.code == "unsupported-version")
        #expect(error.reason.contains("version 2") && error.reason.contains("compatibleWith"), "\(error.reason)")
    }

    @Test func aDeclarationNamingAVersionThisReaderDoesNotKnowIsRefused() throws {
        let error = try #require(refusal(bytes(version: 4, compatibleWith: 3)))
        #expect(error.code == "unsupported-version")
        #expect(error.reason.contains("version 4") && error.reason.contains("compatible only with version 3"), "\(error.reason)")
    }

    @Test func compatibleWithMustNotExceedTheVersion() throws {
        let error = try #require(refusal(bytes(version: 1, compatibleWith: 2)))
        #expect(error.code == "invalid-field")
    }

    @Test func theCanonicalEncodingOmitsAnAbsentDeclaration() {
        #expect(!String(decoding: bytes(version: 1), as: UTF8.self).contains("compatibleWith"))
        #expect(String(decoding: bytes(version: 2, compatibleWith: 1), as: UTF8.self).contains("\"compatibleWith\":1"))
    }
}

/// A number Foundation cannot represent fails its whole parse; the refusal still carries the
/// header (so the sender gets a `CommandRejected`) and names the number.
@Suite("Out-of-range numbers")
struct OutOfRangeNumberTests {
    let decoder = EventDecoder(catalogue: PayloadCatalogue([DepositFunds.self]))

    func refusal(amount: String) throws -> DecodeFailure? {
        let envelope = Envelope(command: DepositFunds(accountId: "A-co", amount: 7, reference: "bank-1"), source: "bank")
        let text = String(decoding: EventCodec().encode(envelope), as: UTF8.self).replacingOccurrences(of: "\"amount\":7", with: "\"amount\":\(amount)")
        do {
            _ = try decoder.decode(Data(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["1e400", "-1e400", "99999999999999999999", "9223372036854775808"])
    func theRefusalKeepsTheHeaderAndNamesTheField(_ amount: String) throws {
        let failure = try #require(try refusal(amount: amount))
        #expect(failure.header?.type == DepositFunds.eventType, "\(failure.error)")
        #expect(failure.error.reason.contains("data.amount") || failure.error.reason.contains("amount"), "\(failure.error.reason)")
    }

    @Test func aNegativeZeroIsNotOutOfRange() throws {
        let failure = try #require(try refusal(amount: "-0"))
        #expect(failure.error.code == "invalid-field" && !failure.error.reason.contains("out of range"), "\(failure.error)")
    }
}
