import ArgumentParser
import Contract
import Foundation
import Kafka

/// Follows a topic, one readable line per record (or the raw JSON).
struct Tail: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Follow a topic: ecoctl tail registry.events --from-beginning")
    @OptionGroup var broker: BrokerOptions
    @Argument(help: "The topic to follow.") var topic: String
    @Flag(help: "Start at the beginning of the topic instead of its end.") var fromBeginning = false
    @Option(help: "Only records of this type.") var type: String?
    @Flag(help: "Print each record's value as it is (JSON).") var json = false
    @Option(help: "Stop after this many records.") var limit: Int?
    @Option(help: "Stop after this many seconds without a new record.") var idleSeconds: Int?

    func run() throws {
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: broker.resolved, clientID: "ecoctl"),
                                         groupID: "ecoctl-tail-\(UUID().uuidString)")
        defer { consumer.close() }
        let partitions: Int
        do {
            partitions = try consumer.partitionCount(of: topic)
        } catch {
            throw CommandFailure("cannot read topic \(topic): \(error.message)")
        }
        try consumer.assign((0..<Int32(partitions)).map {
            TopicPartitionOffset(topic: topic, partition: $0, offset: fromBeginning ? TopicPartitionOffset.beginning : TopicPartitionOffset.end)
        })
        let renderer = RecordRenderer()
        var printed = 0
        var lastRecord = Date()
        while limit.map({ printed < $0 }) ?? true {
            let records = consumer.poll(maxRecords: 500, timeoutMs: 200).records
            if records.isEmpty, let idleSeconds, Date().timeIntervalSince(lastRecord) > Double(idleSeconds) { break }
            for record in records {
                lastRecord = Date()
                let recordType = record.header("type").map { String(decoding: $0, as: UTF8.self) }
                if let type, recordType != type { continue }
                print(json ? String(decoding: record.value, as: UTF8.self) : renderer.line(for: record))
                printed += 1
                if let limit, printed >= limit { break }
            }
        }
    }
}

/// One line per record: time, partition/offset, type, key and the payload's fields.
struct RecordRenderer {
    func line(for record: ConsumerRecord) -> String {
        let type = record.header("type").map { String(decoding: $0, as: UTF8.self) } ?? "?"
        let prefix = "\(record.partition):\(record.offset) \(type) key=\(record.keyString ?? "-")"
        guard let object = try? JSONSerialization.jsonObject(with: record.value) as? [String: Any] else {
            return "\(prefix) (not JSON, \(record.value.count) bytes)"
        }
        let data = (object["data"] as? [String: Any]) ?? object
        let fields = data.keys.sorted().compactMap { key -> String? in
            guard let value = data[key] else { return nil }
            switch value {
            case let text as String: return "\(key)=\(text.prefix(60))"
            case let number as NSNumber: return "\(key)=\(number)"
            case let list as [Any]: return "\(key)=[\(list.count)]"
            default: return nil
            }
        }
        let time = (object["occurredAt"] as? String).map { "\($0) " } ?? ""
        return "\(time)\(prefix) \(fields.joined(separator: " "))"
    }
}
