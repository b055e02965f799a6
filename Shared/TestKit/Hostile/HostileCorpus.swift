import Contract
import Foundation

/// A deterministic, seeded generator of bad records for every topic a service consumes, each
/// with what the system must do with it (dead letter, refusal event, or drop as duplicate).
///
/// Why: DESIGN.md section 3 promises that a record that cannot be decoded or validated never
/// stops a service loop, and that every refusal is answered with a reason. The reliability
/// tests and `ecoctl chaos` throw this corpus at the real executables and check both halves of
/// that promise record by record. It needs no test framework: build one, take `records(count:)`
/// and send each `value` to its `topic` with its `key`.
///
/// Ids in the corpus start with `context.ghostPrefix` and accounts the business records name are
/// unknown to the registry and settlement, except `context.account` when one is given, whose
/// effects the corpus only ever tries to misuse (every such record must be refused). So good
/// traffic sent alongside must end exactly as if the corpus had not been sent.
///
/// `HostileCategory.deadLetterOverflow` is outside `standard` because it targets a limit of the
/// runtime (a dead letter larger than the producer's `message.max.bytes`) rather than input
/// validation; ask for it explicitly.
public struct HostileCorpus: Sendable {
    /// What the business-nonsense records may refer to.
    public struct Context: Sendable {
        /// A registered, allocated and funded account to misuse (over-balance withdrawals, sells
        /// over holdings, trading against itself). Nil: only unknown accounts are named.
        public var account: String?
        /// A bank reference already deposited to `account`: depositing it again must be refused.
        public var usedDepositReference: String?
        /// Also send resting-then-crossing pairs of `account` (it trades against itself). Needs a
        /// book where nobody else rests at the pair's price, and an open session.
        public var selfCross: Bool
        /// The instrument of the orders.
        public var instrument: Instrument
        /// "Now" for readings that must be too old or too far in the future.
        public var now: Timestamp
        /// Prefix of every id the corpus invents.
        public var ghostPrefix: String

        public init(account: String? = nil, usedDepositReference: String? = nil, selfCross: Bool = false,
                    instrument: Instrument = .cea, now: Timestamp = .now(), ghostPrefix: String = "hx") {
            self.account = account; self.usedDepositReference = usedDepositReference; self.selfCross = selfCross
            self.instrument = instrument; self.now = now; self.ghostPrefix = ghostPrefix
        }
    }

    public let seed: UInt64
    public var context: Context
    public var categories: [HostileCategory]
    public var topics: [Topic]
    /// Largest record the corpus writes (keep it and its dead letter under the broker's limit,
    /// 1,000,000 bytes by default for librdkafka producers).
    public var maxRecordBytes: Int

    public init(seed: UInt64, context: Context = Context(), categories: [HostileCategory] = HostileCategory.standard,
                topics: [Topic] = HostileConsumer.inputTopics, maxRecordBytes: Int = 900_000) {
        self.seed = seed; self.context = context; self.categories = categories; self.topics = topics
        self.maxRecordBytes = maxRecordBytes
    }

    /// At least `count` records (a replay is two records, so one more may come), from unit
    /// `start` on: the same seed, context and options always give the same records.
    public func records(count: Int, startingAt start: Int = 0) -> [HostileRecord] {
        var out: [HostileRecord] = []
        out.reserveCapacity(count + 1)
        var unit = start
        while out.count < count {
            out.append(contentsOf: records(unit: unit))
            unit += 1
        }
        return out
    }

    /// The records of one generating unit (one record, or two for a replay or a self-cross pair).
    public func records(unit: Int) -> [HostileRecord] {
        var rng = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: unit) &* 0xD1B5_4A32_D192_ED03))
        let category = pickCategory(&rng)
        let candidates = topics.filter { applies(category, to: $0) }
        guard !candidates.isEmpty else { return [] }
        let topic = rng.pick(candidates)
        var maker = RecordMaker(corpus: self, unit: unit, topic: topic, category: category, rng: rng)
        return maker.make()
    }

    /// Every topic has the syntactic categories; business records exist for the command topics
    /// and readings only (a well-formed forged event is indistinguishable from its producer's:
    /// keeping strangers off event topics is the broker's ACLs' job, not the consumers').
    public func applies(_ category: HostileCategory, to topic: Topic) -> Bool {
        switch category {
        case .businessNonsense:
            return [.registryCommands, .marketOrders, .settlementCommands, .airObservations].contains(topic)
        case .replay:
            return [.registryCommands, .marketOrders, .settlementCommands].contains(topic)
        case .malformedAhead:
            return [.registryCommands, .settlementCommands].contains(topic)
        default:
            return HostileConsumer.inputTopics.contains(topic)
        }
    }

    private func pickCategory(_ rng: inout SeededGenerator) -> HostileCategory {
        func weight(_ category: HostileCategory) -> Int {
            switch category {
            case .hugeString, .deadLetterOverflow: return 2
            case .deepNesting: return 4
            default: return 10
            }
        }
        let total = categories.reduce(0) { $0 + weight($1) }
        var draw = Int.random(in: 0..<max(1, total), using: &rng)
        for category in categories {
            draw -= weight(category)
            if draw < 0 { return category }
        }
        return categories.first ?? .invalidJSON
    }
}

/// Builds the records of one unit; one method per category in the `HostileCorpus+*` files.
struct RecordMaker {
    let corpus: HostileCorpus
    let unit: Int
    let topic: Topic
    let category: HostileCategory
    var rng: SeededGenerator

    var context: HostileCorpus.Context { corpus.context }
    var readers: [HostileConsumer] { HostileConsumer.readers(of: topic) }

    mutating func make() -> [HostileRecord] {
        switch category {
        case .truncatedJSON: return [truncated()]
        case .invalidJSON: return [invalidJSON()]
        case .invalidUTF8: return [invalidUTF8()]
        case .hugeString: return [hugeString()]
        case .deepNesting: return [deepNesting()]
        case .wrongType: return [wrongType()]
        case .badNumber: return [badNumber()]
        case .nonPositiveQuantity: return [nonPositive()]
        case .unknownType: return [unknownType()]
        case .unknownVersion: return [unknownVersion()]
        case .businessNonsense: return businessNonsense()
        case .replay: return replay()
        case .malformedAhead: return malformedAhead()
        case .deadLetterOverflow: return [deadLetterOverflow()]
        default: return [invalidJSON()]
        }
    }

    /// A fresh id for something the corpus invents: `<prefix><unit>-<n>`.
    mutating func ghost(_ kind: String) -> String {
        "\(context.ghostPrefix)\(unit)-\(kind)-\(String(rng.next() % 0xFFFF, radix: 16))"
    }

    /// Dead letters by every reader of the topic; with a readable header, also `CommandRejected`
    /// from each reader that decodes its type.
    func deadLettered(codes: Set<String>, header: (id: UUID, type: EventType)?) -> [HostileExpectation] {
        readers.flatMap { reader -> [HostileExpectation] in
            var expected: [HostileExpectation] = [.deadLetter(consumer: reader.name, codes: codes)]
            if let header, reader.understands(header.type) {
                expected.append(.refusal(HostileRefusal(consumer: reader.name, topic: reader.rejectionTopic, type: "CommandRejected",
                                                        match: .commandId(header.id.lowercasedString), codes: codes)))
            }
            return expected
        }
    }

    func record(_ text: String, key: String?, label: String, eventId: UUID? = nil,
                expectations: [HostileExpectation]) -> HostileRecord {
        record(Data(text.utf8), key: key, label: label, eventId: eventId, expectations: expectations)
    }

    func record(_ bytes: Data, key: String?, label: String, eventId: UUID? = nil,
                expectations: [HostileExpectation]) -> HostileRecord {
        HostileRecord(sequence: unit, topic: topic, key: key, value: bytes, category: category, label: label,
                      eventId: eventId, expectations: expectations)
    }
}
