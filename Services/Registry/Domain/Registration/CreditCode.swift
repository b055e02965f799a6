/// A unified social credit code (统一社会信用代码, GB 32100-2015) that passed validation.
///
/// Every legal entity in China has one; the registry refuses a registration whose code is
/// malformed, because a typo would otherwise split one enterprise into two records.
///
/// Layout: 18 characters from the 31-character alphabet `0-9 A-H J-N P-R T-U W-Y` (no I, O,
/// S, V, Z, which read like digits). Character 18 is a check character over the first 17,
/// weighted `3^i mod 31`, modulo 31. Characters 9-17 are the entity's organization code
/// (GB 11714), which carries its own mod-11 check; that inner check is *not* applied by
/// default because the registry only needs the outer one to catch typos and some issued codes
/// predate a consistent organization code. Pass `checkingOrganizationCode: true` to apply it.
/// The registration-authority and category prefixes (characters 1-2) are not checked against
/// the standard's tables either: those tables are revised more often than the checksum.
public struct CreditCode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The validated 18-character code.
    public let text: String

    /// Validates `text` and wraps it.
    /// - Throws: `RegistryRefusal` with code `invalid-credit-code` and the problem as reason.
    public init(validating text: String, checkingOrganizationCode: Bool = false) throws(RegistryRefusal) {
        if let problem = Self.validate(text, checkingOrganizationCode: checkingOrganizationCode) {
            throw problem.refusal
        }
        self.text = text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if let problem = Self.validate(text) {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: problem.reason))
        }
        self.text = text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public var description: String { text }

    /// What is wrong with a candidate code, in words an operator can act on.
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// The rule a code can break; the standard defines exactly these.
        public enum Kind: String, Hashable, Sendable {
            case length, character, checkCharacter, organizationCheck
        }
        public let kind: Kind
        public let reason: String

        /// The problem as a registration refusal (`invalid-credit-code`).
        public var refusal: RegistryRefusal {
            RegistryRefusal(code: RefusalCode.invalidCreditCode, reason: reason)
        }

        public var description: String { reason }
    }

    /// The alphabet in value order: a character's index is its value in the checksum.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// Weights of positions 1-17 (3^i mod 31), as printed in GB 32100-2015.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Weights of the 8 body characters of the organization code (GB 11714).
    static let organizationWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// Returns the first problem with `text`, or `nil` when it is a valid code.
    public static func validate(_ text: String, checkingOrganizationCode: Bool = false) -> Problem? {
        let characters = Array(text)
        guard characters.count == 18 else {
            return Problem(kind: .length, reason: "credit code must be 18 characters, got \(characters.count)")
        }
        for (offset, character) in characters.enumerated() where value(of: character) == nil {
            return Problem(kind: .character, reason: """
                credit code character \(offset + 1) is '\(character)', which is not allowed \
                (upper-case 0-9 A-H J-N P-R T-U W-Y only; no I, O, S, V, Z)
                """)
        }
        let expected = checkCharacter(of: characters[0..<17])
        if characters[17] != expected {
            return Problem(kind: .checkCharacter,
                           reason: "credit code check character is \(characters[17]), expected \(expected)")
        }
        if checkingOrganizationCode {
            let found = characters[16]
            if let expectedInner = organizationCheckCharacter(forBody: String(characters[8..<16])),
               found != expectedInner {
                return Problem(kind: .organizationCheck, reason: """
                    credit code organization-code check character (position 17) is \(found), \
                    expected \(expectedInner)
                    """)
            }
        }
        return nil
    }

    /// The check character for the first 17 characters of a code, or `nil` when `prefix` is
    /// not 17 characters of the alphabet. Use it to build valid codes for tests and demos.
    public static func checkCharacter(forPrefix prefix: String) -> Character? {
        let characters = Array(prefix)
        guard characters.count == 17, characters.allSatisfy({ value(of: $0) != nil }) else { return nil }
        return checkCharacter(of: characters[0..<17])
    }

    /// `prefix` (17 characters) completed with its check character, or `nil` if invalid.
    public static func completing(_ prefix: String) -> String? {
        checkCharacter(forPrefix: prefix).map { prefix + String($0) }
    }

    /// The GB 11714 check character of an 8-character organization-code body (characters
    /// 9-16 of a credit code): `11 - (sum mod 11)`, where 10 is written `X` and 11 is `0`.
    /// Returns `nil` when the body is not 8 digits or upper-case letters.
    public static func organizationCheckCharacter(forBody body: String) -> Character? {
        let characters = Array(body)
        guard characters.count == 8 else { return nil }
        var sum = 0
        for (character, weight) in zip(characters, organizationWeights) {
            guard let value = organizationValue(of: character) else { return nil }
            sum += value * weight
        }
        switch 11 - sum % 11 {
        case 10: return "X"
        case 11: return "0"
        case let digit: return Character(String(digit))
        }
    }

    private static func checkCharacter(of prefix: ArraySlice<Character>) -> Character {
        var sum = 0
        for (character, weight) in zip(prefix, weights) {
            sum += (value(of: character) ?? 0) * weight
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    private static func value(of character: Character) -> Int? {
        alphabet.firstIndex(of: character)
    }

    /// Organization codes value letters by their place in the full Latin alphabet (A = 10).
    private static func organizationValue(of character: Character) -> Int? {
        guard let ascii = character.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(ascii - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(ascii - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }
}
