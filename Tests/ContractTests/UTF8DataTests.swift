import Foundation
import Testing
import Contract

@Suite struct UTF8DataTests {
    @Test(arguments: ["", "k1", "CEA", "91350100000000000X", "巴中-空气质量-站点-07", "emoji 🌫️ and \u{0} nul",
                      String(repeating: "x", count: 5_000)])
    func copiesTheSameBytesAsTheGenericInitialiser(text: String) {
        #expect(Data(utf8Of: text) == Data(text.utf8))
    }

    @Test func copiesASubstringsOwnBytesOnly() {
        let whole = "prefix-2b1e4c0a-0000-4000-8000-000000000001-suffix"
        let middle = String(whole.dropFirst(7).dropLast(7))
        #expect(Data(utf8Of: middle) == Data("2b1e4c0a-0000-4000-8000-000000000001".utf8))
    }
}
