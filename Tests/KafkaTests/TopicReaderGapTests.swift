import Contract
import Testing
@testable import EcoTestKit

/// The test kit's reader says which offsets it never saw, so an audit can tell a record missing
/// from the broker from one its own fetch skipped.
@Suite struct TopicReaderGapTests {
    let topic = Topic("matching.events.dlq")

    @Test func aCompleteReadHasNoGaps() {
        let read: [(partition: Int32, offset: Int64)] = [(0, 0), (1, 0), (0, 1), (0, 2), (1, 1)]
        #expect(TopicReader.unreadOffsets(read, topic: topic).isEmpty)
    }

    @Test func skippedOffsetsAreNamedPerPartition() {
        let read: [(partition: Int32, offset: Int64)] = [(0, 0), (0, 1), (0, 4), (1, 2), (1, 3)]
        #expect(TopicReader.unreadOffsets(read, topic: topic) == [
            "matching.events.dlq[0] offsets 2..<4 not read",
            "matching.events.dlq[1] offsets 0..<2 not read",
        ])
    }

    @Test func aRecordReadTwiceIsNotAGap() {
        let read: [(partition: Int32, offset: Int64)] = [(0, 0), (0, 1), (0, 1), (0, 0), (0, 2)]
        #expect(TopicReader.unreadOffsets(read, topic: topic).isEmpty)
    }
}
