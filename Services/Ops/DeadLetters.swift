import ArgumentParser
import Contract
import Foundation
import Kafka

/// Inspect dead letters and re-publish chosen ones after a fix.
struct DLQ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "List, show and replay dead letters.",
        subcommands: [List.self, Show.self, Replay.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per dead letter: offset, code, reason, origin.")
        @OptionGroup var broker: BrokerOptions
        @Argument(help: "A dead-letter topic, e.g. registry.commands.dlq (or the source topic).") var topic: String

        func run() throws {
            let letters = try DeadLetterReader(brokers: broker.resolved, topic: DeadLetterReader.dlqName(topic)).readAll()
            if letters.isEmpty { print("no dead letters on \(DeadLetterReader.dlqName(topic))") }
            for (offset, letter) in letters {
                print("\(offset)  \(letter.code)  \(letter.topic)[\(letter.partition)]@\(letter.offset)  \(letter.eventType ?? "-")  \(letter.reason.prefix(120))")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one dead letter in full.")
        @OptionGroup var broker: BrokerOptions
        @Argument(help: "The dead-letter topic.") var topic: String
        @Argument(help: "Its offset (from `dlq list`).") var offset: Int64

        func run() throws {
            let letters = try DeadLetterReader(brokers: broker.resolved, topic: DeadLetterReader.dlqName(topic)).readAll()
            guard let letter = letters.first(where: { $0.offset == offset })?.letter else {
                throw CommandFailure("no dead letter at offset \(offset) of \(DeadLetterReader.dlqName(topic))")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(letter), as: UTF8.self))
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-publish dead letters to their source topic (the original bytes, or a fixed value).")
        @OptionGroup var broker: BrokerOptions
        @Argument(help: "The dead-letter topic.") var topic: String
        @Option(help: "Offsets to replay (comma-separated).") var offsets: String?
        @Flag(help: "Replay every dead letter on the topic.") var all = false
        @Option(help: "Replace the value with this file's contents (one offset only).") var fixedValue: String?

        func validate() throws {
            guard all != (offsets != nil) else { throw ValidationError("give exactly one of --offsets or --all") }
            if fixedValue != nil, all || (offsets ?? "").contains(",") {
                throw ValidationError("--fixed-value applies to a single offset")
            }
            if let offsets, offsets.split(separator: ",").contains(where: { Int64($0) == nil }) {
                throw ValidationError("--offsets must be numbers separated by commas")
            }
        }

        func run() async throws {
            let letters = try DeadLetterReader(brokers: broker.resolved, topic: DeadLetterReader.dlqName(topic)).readAll()
            let wanted = Set((offsets ?? "").split(separator: ",").compactMap { Int64($0) })
            let chosen = letters.filter { all || wanted.contains($0.offset) }
            let missing = wanted.subtracting(chosen.map(\.offset))
            guard missing.isEmpty else { throw CommandFailure("no dead letter at offset(s) \(missing.sorted())") }
            var records: [ProducerRecord] = []
            for (_, letter) in chosen {
                let value: Data
                if let fixedValue {
                    guard let data = FileManager.default.contents(atPath: fixedValue) else { throw CommandFailure("cannot read \(fixedValue)") }
                    value = data
                } else {
                    guard let original = letter.originalValue else {
                        throw CommandFailure(letter.truncated == true
                            ? "offset \(letter.offset): the letter kept only the first \(DeadLetter.maxValueBytes) of \(letter.originalBytes ?? 0) bytes; replay it with --fixed-value"
                            : "offset \(letter.offset): value not decodable")
                    }
                    value = original
                }
                records.append(ProducerRecord(topic: letter.topic, key: letter.key.map { Data($0.utf8) }, value: value,
                                              headers: [("replayed-from", Data("\(letter.topic)[\(letter.partition)]@\(letter.offset)".utf8))]))
            }
            let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: broker.resolved, clientID: "ecoctl"))
            defer { producer.close() }
            try await producer.send(records)
            print("replayed \(records.count) record(s) to \(Set(chosen.map(\.letter.topic)).sorted().joined(separator: ", "))")
        }
    }
}

/// Reads a dead-letter topic from its beginning to its current end.
struct DeadLetterReader {
    let brokers: String
    let topic: String

    static func dlqName(_ topic: String) -> String { topic.hasSuffix(".dlq") ? topic : topic + ".dlq" }

    /// Every dead letter with its offset on the dead-letter topic, oldest first.
    func readAll(timeoutMs: Int = 3000) throws -> [(offset: Int64, letter: DeadLetter)] {
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: brokers, clientID: "ecoctl"),
                                         groupID: "ecoctl-dlq-\(UUID().uuidString)")
        defer { consumer.close() }
        let partitions: Int
        do { partitions = try consumer.partitionCount(of: topic) } catch {
            throw CommandFailure("cannot read \(topic): \(error.message)")
        }
        try consumer.assign((0..<Int32(partitions)).map {
            TopicPartitionOffset(topic: topic, partition: $0, offset: TopicPartitionOffset.beginning)
        })
        var result: [(Int64, DeadLetter)] = []
        var idleSince = Date()
        // Tansu's high watermark is not exact, so read until the topic has been quiet a moment.
        while Date().timeIntervalSince(idleSince) * 1000 < Double(min(timeoutMs, 800)) {
            let records = consumer.poll(maxRecords: 1000, timeoutMs: 100).records
            if !records.isEmpty { idleSince = Date() }
            for record in records {
                if let letter = try? JSONDecoder().decode(DeadLetter.self, from: record.value) { result.append((record.offset, letter)) }
            }
        }
        return result.sorted { $0.0 < $1.0 }
    }
}
