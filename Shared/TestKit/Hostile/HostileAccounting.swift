import Contract
import Foundation

/// Checks every hostile record against what the services wrote: its dead letters (by consumer,
/// topic and original value), its refusal events (by command or order id, exactly once), and the
/// dead letters nobody expected (a good record refused, or a service emitting an event its
/// peers cannot read).
public struct HostileAccounting {
    struct DeadKey: Hashable {
        var consumer: String
        var topic: String
        var value: Data
    }

    public let records: [HostileRecord]
    private var expectedDead: [DeadKey: Int] = [:]
    private var deadLabels: [DeadKey: String] = [:]
    /// Replays each consumer must have dropped as duplicates.
    public private(set) var duplicates: [String: Int] = [:]

    public init(_ records: [HostileRecord]) {
        self.records = records
        for record in records {
            for expectation in record.expectations {
                switch expectation {
                case let .deadLetter(consumer, _):
                    let key = DeadKey(consumer: consumer, topic: record.topic.rawValue, value: Self.identity(of: record.value))
                    expectedDead[key, default: 0] += 1
                    deadLabels[key] = "#\(record.sequence) \(record.category): \(record.label)"
                case let .duplicate(consumer):
                    duplicates[consumer, default: 0] += 1
                default:
                    break
                }
            }
        }
    }

    public var expectationCount: Int { records.reduce(0) { $0 + $1.expectations.count } }

    /// One record not accounted for, or one dead letter nobody expected.
    public struct Problem: CustomStringConvertible, Sendable {
        /// "category on topic: kind", to count problems of one sort.
        public var sort: String
        public var description: String
    }

    /// What is still missing or wrong; empty when every record is accounted for.
    public func problems(readers: [Topic: TopicReader]) -> [Problem] {
        let observed = Observed(readers: readers)
        var problems: [Problem] = []
        for record in records {
            for expectation in record.expectations {
                if let problem = check(expectation, of: record, observed) {
                    let kind = problem.split(separator: " for ").first.map(String.init) ?? problem
                    problems.append(Problem(sort: "\(record.category) on \(record.topic): \(kind.prefix(90))",
                                            description: "#\(record.sequence) \(record.category) on \(record.topic) (\(record.label)): \(problem)"))
                }
            }
        }
        for (key, letters) in observed.dead {
            let expected = expectedDead[key] ?? 0
            if letters.count > expected {
                let letter = letters[0]
                problems.append(Problem(sort: "unexpected dead letter by \(key.consumer) on \(key.topic).dlq: \(letter.code)", description: "unexpected dead letter by \(key.consumer) on \(key.topic).dlq (\(letter.code): \(letter.reason.prefix(160))) "
                    + "of \(String(decoding: key.value.prefix(200), as: UTF8.self))"
                    + (expected > 0 ? " (\(letters.count) for \(expected) expected: \(deadLabels[key] ?? ""))" : "")))
            }
        }
        return problems
    }

    /// A report of `problems`: how many of each sort, then the first few in full.
    public static func report(_ problems: [Problem], limit: Int = 25) -> String {
        let sorts = Dictionary(grouping: problems, by: \.sort).map { ($0.key, $0.value.count) }.sorted { $0.1 > $1.1 }
        return sorts.map { "\($0.1) x \($0.0)" }.joined(separator: "\n") + "\n--\n"
            + problems.prefix(limit).map(\.description).joined(separator: "\n")
    }

    /// What a dead letter keeps of a value: the value itself, or its SHA-256 when the letter
    /// could keep only the start of it.
    static func identity(of value: Data) -> Data {
        value.count > DeadLetter.maxValueBytes ? Data("sha256:\(DeadLetter.sha256Hex(of: value))".utf8) : value
    }

    static func identity(of letter: DeadLetter) -> Data? {
        if letter.truncated == true { return letter.originalSHA256.map { Data("sha256:\($0)".utf8) } }
        return letter.originalValue
    }

    private func check(_ expectation: HostileExpectation, of record: HostileRecord, _ observed: Observed) -> String? {
        switch expectation {
        case let .deadLetter(consumer, codes):
            let letters = observed.dead[DeadKey(consumer: consumer, topic: record.topic.rawValue, value: Self.identity(of: record.value))] ?? []
            guard let letter = letters.first else { return "no dead letter by \(consumer)" }
            if letter.reason.isEmpty { return "dead letter by \(consumer) without a reason" }
            if !codes.isEmpty, !codes.contains(letter.code) {
                return "dead letter by \(consumer) has code \(letter.code) (\(letter.reason.prefix(160))), expected \(codes.sorted())"
            }
            return nil
        case let .refusal(refusal):
            var answers = observed.refusals(refusal.topic, refusal.type).filter { refusal.match.matches(commandId: $0.commandId, orderId: $0.orderId) }
            if answers.count > 1, !refusal.codes.isEmpty {
                // Two records under one id (a malformed copy ahead of the intact command) are
                // answered once each, with different codes.
                answers = answers.filter { refusal.codes.contains($0.code) }
            }
            guard let answer = answers.first else { return "no \(refusal)" }
            if answers.count > 1 { return "\(answers.count) answers for \(refusal), expected exactly one" }
            if answer.reason.isEmpty { return "\(refusal) without a reason" }
            if !refusal.codes.isEmpty, !refusal.codes.contains(answer.code) {
                return "\(refusal) has code \(answer.code) (\(answer.reason.prefix(160)))"
            }
            return nil
        case let .accepted(topic, type, match):
            let answers = observed.refusals(topic, type).filter { match.matches(commandId: nil, orderId: $0.orderId) }
            return answers.isEmpty ? "no \(type) for \(match)" : nil
        case .duplicate:
            return nil  // counted per service from `/status`; the original's single answer is checked above
        }
    }
}

/// An answer of a service: a refusal (or an order's admission), by the ids it names.
struct Answer {
    var commandId: String?
    var orderId: String?
    var code: String
    var reason: String
}

/// Everything the readers saw, indexed once per check.
private struct Observed {
    var dead: [HostileAccounting.DeadKey: [DeadLetter]] = [:]
    var answers: [Topic: [EventType: [Answer]]] = [:]

    init(readers: [Topic: TopicReader]) {
        for (topic, reader) in readers {
            if topic.isDeadLetter {
                var seen = Set<String>()
                for record in reader.records {
                    guard let letter = record.deadLetter, let value = HostileAccounting.identity(of: letter) else { continue }
                    // One letter per consumer and source record (a re-published copy is the same letter).
                    guard seen.insert("\(letter.consumer)/\(letter.partition)/\(letter.offset)").inserted else { continue }
                    dead[HostileAccounting.DeadKey(consumer: letter.consumer, topic: letter.topic, value: value), default: []]
                        .append(letter)
                }
                continue
            }
            var byType: [EventType: [Answer]] = [:]
            var seenIds = Set<String>()
            for record in reader.records {
                guard let envelope = record.envelope, seenIds.insert(envelope.id.uuidString).inserted,
                      let answer = Self.answer(envelope.payload) else { continue }
                byType[envelope.type, default: []].append(answer)
            }
            answers[topic] = byType
        }
    }

    func refusals(_ topic: Topic, _ type: EventType) -> [Answer] { answers[topic]?[type] ?? [] }

    static func answer(_ payload: any EventPayload) -> Answer? {
        switch payload {
        case let p as CommandRejected: return Answer(commandId: p.commandId, orderId: nil, code: p.code, reason: p.reason)
        case let p as OrderRejected: return Answer(commandId: nil, orderId: p.orderId, code: p.code, reason: p.reason)
        case let p as FreezeRejected: return Answer(commandId: nil, orderId: p.orderId, code: p.code, reason: p.reason)
        case let p as ReserveRejected: return Answer(commandId: nil, orderId: p.orderId, code: p.code, reason: p.reason)
        case let p as OrderAccepted: return Answer(commandId: nil, orderId: p.orderId, code: "accepted", reason: "accepted")
        default: return nil
        }
    }
}
