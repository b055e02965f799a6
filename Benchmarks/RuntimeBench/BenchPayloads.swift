import Contract

/// The benchmark's input: a ping carrying ~150 bytes of padding so envelopes are ~300 bytes.
struct BenchPing: EventPayload {
    static let eventType: EventType = "BenchPing"
    var key: String
    var sequence: Int64
    var padding: String
    var partitionKey: String { key }
    func validate() throws(ContractError) {
        try Check.identifier(key, "key")
        try Check.nonNegative(sequence, "sequence")
    }
}

/// What the trivial handler emits for each ping.
struct BenchPong: EventPayload {
    static let eventType: EventType = "BenchPong"
    var key: String
    var sequence: Int64
    var partitionKey: String { key }
    func validate() throws(ContractError) {}
}
