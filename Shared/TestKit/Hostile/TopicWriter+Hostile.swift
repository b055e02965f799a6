import Contract
import Foundation
import Kafka

extension TopicWriter {
    /// Sends hostile records as they are (no envelope, no headers), in acknowledged batches of
    /// `batchSize`, in order.
    public func send(_ records: [HostileRecord], batchSize: Int = 500) async throws {
        var start = records.startIndex
        while start < records.endIndex {
            let end = min(start + max(1, batchSize), records.endIndex)
            try await producer.send(records[start..<end].map {
                ProducerRecord(topic: $0.topic.rawValue, key: $0.key.map { Data($0.utf8) }, value: $0.value)
            })
            start = end
        }
    }
}
