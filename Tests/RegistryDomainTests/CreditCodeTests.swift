import Testing
import RegistryDomain

@Suite struct CreditCodeTests {
    @Test func acceptsTheWellKnownPublishedCode() {
        #expect(CreditCode.validate("91350100M000100Y43") == nil)
    }

    @Test func wellKnownCodeAlsoPassesTheOrganizationCodeCheck() {
        #expect(CreditCode.validate("91350100M000100Y43", checkingOrganizationCode: true) == nil)
    }

    @Test func helperComputesTheCheckCharacterOfTheWellKnownCode() {
        #expect(CreditCode.checkCharacter(forPrefix: "91350100M000100Y4") == "3")
    }

    @Test func codesCompletedByTheHelperAreValid() {
        for prefix in ["91110000MA0000001", "12100000400000123", "Y1440300MA5DXXXXX", "00000000000000000"] {
            let code = CreditCode.completing(prefix)
            #expect(code != nil)
            #expect(code.flatMap { CreditCode.validate($0) } == nil, "\(code ?? prefix)")
        }
    }

    @Test func checkCharacterZeroWhenSumIsAMultipleOf31() {
        // All zeros sum to 0: 31 - 0 = 31, which wraps to 0.
        #expect(CreditCode.checkCharacter(forPrefix: "00000000000000000") == "0")
    }

    @Test func refusesACodeOfWrongLength() {
        let problem = CreditCode.validate("91350100M000100Y4")
        #expect(problem?.kind == .length)
        #expect(problem?.reason == "credit code must be 18 characters, got 17")
    }

    @Test(arguments: ["I", "O", "S", "V", "Z", "a", "-"])
    func refusesForbiddenCharacters(_ letter: String) {
        let code = "9135010" + letter + "M000100Y43"
        #expect(CreditCode.validate(code)?.kind == .character)
    }

    @Test func refusesAWrongCheckCharacter() {
        let problem = CreditCode.validate("91350100M000100Y44")
        #expect(problem?.kind == .checkCharacter)
        #expect(problem?.reason == "credit code check character is 4, expected 3")
    }

    @Test func detectsASingleMistypedCharacter() {
        #expect(CreditCode.validate("91350100M000200Y43")?.kind == .checkCharacter)
    }

    @Test func organizationCheckIsOptIn() {
        // Outer check valid, inner organization-code check character deliberately wrong.
        guard let code = CreditCode.completing("91350100M000100Y5") else {
            Issue.record("prefix should be valid"); return
        }
        #expect(CreditCode.validate(code) == nil)
        #expect(CreditCode.validate(code, checkingOrganizationCode: true)?.kind == .organizationCheck)
    }

    @Test func throwingInitReportsAnInvalidCreditCodeRefusal() {
        #expect(throws: RegistryRefusal(code: "invalid-credit-code",
                                        reason: "credit code must be 18 characters, got 3")) {
            try CreditCode(validating: "913")
        }
    }

    @Test func helperRejectsPrefixesThatCannotBeCompleted() {
        #expect(CreditCode.completing("9135010") == nil)
        #expect(CreditCode.completing("91350100M00010OY4") == nil)
    }
}
