import Contract
import Foundation
import Testing

/// Event ids derived from their cause, so a replayed batch emits the same ids (DESIGN.md 3).
@Suite("Deterministic ids")
struct DeterministicIDTests {
    let input = UUID(uuidString: "9b2f4c1e-3a5d-4e6f-8a7b-0c1d2e3f4a5b") ?? UUID()

    @Test("the same input and index give the same id")
    func sameInputsSameID() {
        #expect(DeterministicID.derived(from: input, index: 3) == DeterministicID.derived(from: input, index: 3))
    }

    @Test("a different index gives a different id")
    func differentIndexDifferentID() {
        let ids = Set((0..<100).map { DeterministicID.derived(from: input, index: $0) })
        #expect(ids.count == 100)
    }

    @Test("a different input gives a different id")
    func differentInputDifferentID() {
        #expect(DeterministicID.derived(from: input, index: 0) != DeterministicID.derived(from: UUID(), index: 0))
    }

    @Test("the refusal of an unreadable record never takes an output's id, and is stable")
    func refusalOfUnreadableIsApart() {
        let refusal = DeterministicID.refusalOfUnreadable(input, service: "registry")
        #expect(refusal == DeterministicID.refusalOfUnreadable(input, service: "registry"))
        #expect(refusal != DeterministicID.refusalOfUnreadable(input, service: "settlement"))
        #expect(!(0..<1000).map { DeterministicID.derived(from: input, index: $0, service: "registry") }.contains(refusal))
    }

    @Test("ids carry version 5 and the RFC 4122 variant")
    func versionAndVariant() {
        for index in 0..<50 {
            let uuid = DeterministicID.derived(from: input, index: index).uuid
            #expect(uuid.6 >> 4 == 5)
            #expect(uuid.8 & 0xC0 == 0x80)
        }
    }

    @Test("the RFC 4122 v5 vector: www.example.com in the DNS namespace")
    func knownVector() throws {
        let dns = try #require(UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"))
        let id = DeterministicID.nameBased("www.example.com", namespace: dns)
        #expect(id.uuidString.lowercased() == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
    }

    @Test("ids in this system's namespace differ from the same name elsewhere")
    func namespaceMatters() throws {
        let dns = try #require(UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"))
        #expect(DeterministicID.nameBased("x") != DeterministicID.nameBased("x", namespace: dns))
    }
}
