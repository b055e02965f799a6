import ArgumentParser
import Contract
import EcoTestKit
import Foundation
import Kafka
import Logging
import ServiceRuntime
import Store

/// Pushes N records through the service runtime with a trivial handler and, in the same run and
/// against the same broker, measures raw librdkafka produce and consume rates for comparison.
@main
struct RuntimeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime-bench",
        abstract: "Runtime throughput (consume -> SQLite transaction -> outbox -> publish) next to raw librdkafka rates.")

    @Option(help: "Records per measurement.") var records: Int = 200_000
    @Option(help: "Kafka brokers; omit to start a private Tansu broker (needs deploy/local/tools.sh).") var brokers: String?
    @Option(help: "Records per runtime batch (one SQLite transaction each).") var batchSize: Int = 5000
    @Option(name: .customLong("repeat"),
            help: "Rounds of every measurement (raw produce, raw consume, raw pipe, runtime), interleaved; medians are reported.")
    var rounds: Int = 1
    @Flag(help: "Measure only raw librdkafka produce and consume against --brokers (the saga bench's reference rate).")
    var rawOnly = false
    @Flag(help: "Measure only the decoding of the order saga's record types, in process (no broker): ns per record.")
    var decodeOnly = false

    func validate() throws {
        guard records > 0, records <= 50_000_000 else { throw ValidationError("--records must be 1...50000000") }
        guard batchSize > 0, batchSize <= 100_000 else { throw ValidationError("--batch-size must be 1...100000") }
        guard rounds > 0, rounds <= 20 else { throw ValidationError("--repeat must be 1...20") }
    }

    func run() async throws {
        if decodeOnly {
            try DecodeBench.run(rounds: records)
            return
        }
        let fixture = brokers == nil ? try BrokerFixture(createTopics: false) : nil
        defer { fixture?.stop() }
        let brokers = self.brokers ?? fixture?.brokers ?? ""
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: brokers))
        let run = UUID().uuidString.prefix(6)
        let raw = "bench.raw.\(run)", input = "bench.in", output = "bench.out", pipe = "bench.pipe.\(run)"
        try admin.createTopics([NewTopic(name: raw, partitions: 3)])
        print("runtime-bench: \(records) records, broker \(brokers), librdkafka \(librdkafkaVersion)")
        if rawOnly {
            let produceRate = try rawProduce(brokers: brokers, topic: raw)
            let consumeRate = try rawConsume(brokers: brokers, topic: raw)
            print(String(format: "raw produce   %10.0f records/s  (idempotent, lz4, the runtime's input envelopes)", produceRate))
            print(String(format: "raw consume   %10.0f records/s  (batch poll, copy out)", consumeRate))
            return
        }
        try admin.createTopics([NewTopic(name: input, partitions: 3), NewTopic(name: pipe, partitions: 3),
                                NewTopic(name: output, partitions: 3), NewTopic(name: "bench.in.dlq", partitions: 1)])

        let loadRate = try loadInput(brokers: brokers, topic: input)
        print(String(format: "input load    %10.0f envelopes/s (producing the runtime's input)", loadRate))
        var measured: [Round] = []
        for number in 1...rounds {
            if rounds > 1 { print("round \(number) of \(rounds)") }
            // Each round produces `records` more raw records and reads the topic from its start.
            let produceRate = try rawProduce(brokers: brokers, topic: raw)
            print(String(format: "raw produce   %10.0f records/s  (idempotent, lz4, the runtime's input envelopes)", produceRate))
            let consumeRate = try rawConsume(brokers: brokers, topic: raw)
            print(String(format: "raw consume   %10.0f records/s  (batch poll, copy out)", consumeRate))
            var cpuBefore = ProcessCPU.seconds()
            let pipeRate = try rawPipe(brokers: brokers, from: input, to: pipe)
            let pipeCPU = (ProcessCPU.seconds() - cpuBefore) / Double(records) * 1e6
            print(String(format: "raw pipe      %10.0f records/s  (the runtime's input consumed and produced again, batch by batch; no decode, no SQLite; %.1f us CPU/record)", pipeRate, pipeCPU))
            cpuBefore = ProcessCPU.seconds()
            let (applied, pipeline) = try await runtime(brokers: brokers)
            let runtimeCPU = (ProcessCPU.seconds() - cpuBefore) / Double(records) * 1e6
            print(String(format: "runtime apply %10.0f records/s  (consume -> decode -> inbox -> handler -> outbox -> offsets, batch %d)", applied, batchSize))
            print(String(format: "runtime e2e   %10.0f records/s  (until every output is acknowledged by the broker; %.1f us CPU/record in this process)", pipeline, runtimeCPU))
            measured.append(Round(produce: produceRate, consume: consumeRate, pipe: pipeRate, apply: applied, endToEnd: pipeline,
                                  pipeCPU: pipeCPU, runtimeCPU: runtimeCPU))
        }
        let median = Round.median(of: measured)
        if rounds > 1 {
            print(String(format: "medians of %d rounds: raw produce %.0f, raw consume %.0f, raw pipe %.0f, runtime apply %.0f, runtime e2e %.0f records/s; CPU/record raw pipe %.1f us, runtime %.1f us",
                         rounds, median.produce, median.consume, median.pipe, median.apply, median.endToEnd,
                         median.pipeCPU, median.runtimeCPU))
        }
        let ceiling = min(median.produce, median.consume)
        print(String(format: "runtime / raw ceiling (min of raw produce, raw consume): %.0f%%", median.endToEnd / ceiling * 100))
        print(String(format: "runtime / raw pipe (the same data flow through librdkafka alone): %.0f%%", median.endToEnd / median.pipe * 100))
    }

    /// Consumes the runtime's input and produces each polled batch again, waiting for its
    /// acknowledgements, with no decoding and no SQLite: the cost of the runtime's data flow
    /// through librdkafka and the broker alone, on the same records, in the same run.
    private func rawPipe(brokers: String, from input: String, to output: String) throws -> Double {
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: brokers), groupID: "bench-\(UUID())")
        defer { consumer.close() }
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: brokers))
        defer { producer.close() }
        try consumer.assign((0..<3).map { TopicPartitionOffset(topic: input, partition: $0, offset: TopicPartitionOffset.beginning) })
        var piped = 0
        let started = ContinuousClock.now
        let deadline = started + .seconds(300)
        while piped < records, ContinuousClock.now < deadline {
            let polled = consumer.poll(maxRecords: batchSize, timeoutMs: 100).records
            guard !polled.isEmpty else { continue }
            try producer.sendAndWait(polled.map { ProducerRecord(topic: output, key: $0.key, value: $0.value) })
            piped += polled.count
        }
        guard piped >= records else { throw ValidationError("raw pipe moved only \(piped) of \(records) records") }
        return Double(records) / seconds(since: started)
    }

    /// Produces `records` envelopes like the runtime's input, encoded before the clock starts.
    /// (Constant bytes, as this once sent, compress to almost nothing under lz4 and made the
    /// raw rate a measure of the client alone, not of the bytes the runtime has to move.)
    private func rawProduce(brokers: String, topic: String) throws -> Double {
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: brokers))
        defer { producer.close() }
        let batch = Self.pings(0..<records, topic: topic)
        let started = ContinuousClock.now
        for chunk in stride(from: 0, to: batch.count, by: 50_000) {
            try producer.sendAndWait(Array(batch[chunk..<min(batch.count, chunk + 50_000)]))
        }
        return Double(records) / seconds(since: started)
    }

    /// The runtime's input: `BenchPing` envelopes, ~300 bytes each.
    private static func pings(_ indices: Range<Int>, topic: String) -> [ProducerRecord] {
        let codec = EventCodec()
        let padding = String(repeating: "x", count: 150)
        return indices.map { index in
            let ping = BenchPing(key: "k\(index % 1000)", sequence: Int64(index), padding: padding)
            return ProducerRecord(topic: topic, key: Data(ping.key.utf8), value: codec.encode(Envelope(command: ping, source: "runtime-bench")))
        }
    }

    private func rawConsume(brokers: String, topic: String) throws -> Double {
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(brokers: brokers), groupID: "bench-\(UUID())")
        defer { consumer.close() }
        try consumer.assign((0..<3).map { TopicPartitionOffset(topic: topic, partition: $0, offset: TopicPartitionOffset.beginning) })
        var seen = 0
        let started = ContinuousClock.now
        let deadline = started + .seconds(300)
        while seen < records, ContinuousClock.now < deadline {
            seen += consumer.poll(maxRecords: 10_000, timeoutMs: 100).records.count
        }
        guard seen >= records else { throw ValidationError("raw consume saw only \(seen) of \(records) records") }
        return Double(records) / seconds(since: started)
    }

    private func loadInput(brokers: String, topic: String) throws -> Double {
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: brokers))
        defer { producer.close() }
        let started = ContinuousClock.now
        for chunk in stride(from: 0, to: records, by: 50_000) {
            try producer.sendAndWait(Self.pings(chunk..<min(records, chunk + 50_000), topic: topic))
        }
        return Double(records) / seconds(since: started)
    }

    /// Runs a service loop in this process over the pre-loaded input; returns (applied/s, end-to-end/s).
    private func runtime(brokers: String) async throws -> (Double, Double) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runtime-bench-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let handler = TrivialHandler()
        let store = try EventStore(path: path, migrations: handler.migrate)
        var options = RuntimeOptions(brokers: brokers)
        options.batchSize = batchSize
        var logger = Logger(label: "runtime-bench")
        logger.logLevel = .warning
        let loop = ServiceLoop(handler: handler, store: store, options: options, logger: logger)
        let task = Task { try await loop.run() }
        // Timed from the moment the loop has its partitions, as the raw pipe is timed from its
        // assignment: opening the store and the clients is start-up, not throughput.
        let setupDeadline = ContinuousClock.now + .seconds(60)
        while !loop.status.snapshot.assigned, ContinuousClock.now < setupDeadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        let started = ContinuousClock.now
        var appliedAt: ContinuousClock.Instant?
        let deadline = started + .seconds(600)
        while ContinuousClock.now < deadline {
            let snapshot = loop.status.snapshot
            if appliedAt == nil, snapshot.recordsIn >= records { appliedAt = .now }
            if snapshot.recordsOut >= records { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        let finished = ContinuousClock.now
        loop.stop()
        try await task.value
        let snapshot = loop.status.snapshot
        guard snapshot.recordsOut >= records else {
            throw ValidationError("runtime published only \(snapshot.recordsOut) of \(records) records")
        }
        if let reads = snapshot.outboxTableReads, reads > 0 {
            print("              (\(reads) publish chunks read back from the outbox table: the in-memory hand-over was full)")
        }
        let applySeconds = Double((appliedAt ?? finished) - started) .nonZero
        return (Double(records) / applySeconds, Double(records) / seconds(since: started, until: finished))
    }

    /// One round's rates, records/s.
    struct Round {
        var produce, consume, pipe, apply, endToEnd: Double
        /// This process's CPU per record, microseconds (the broker's is not included).
        var pipeCPU, runtimeCPU: Double

        static func median(of rounds: [Round]) -> Round {
            func middle(_ values: [Double]) -> Double {
                let sorted = values.sorted()
                return sorted.count % 2 == 1 ? sorted[sorted.count / 2]
                    : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            }
            return Round(produce: middle(rounds.map(\.produce)), consume: middle(rounds.map(\.consume)),
                         pipe: middle(rounds.map(\.pipe)), apply: middle(rounds.map(\.apply)),
                         endToEnd: middle(rounds.map(\.endToEnd)), pipeCPU: middle(rounds.map(\.pipeCPU)),
                         runtimeCPU: middle(rounds.map(\.runtimeCPU)))
        }
    }

    private func seconds(since start: ContinuousClock.Instant, until end: ContinuousClock.Instant = .now) -> Double {
        let duration = end - start
        return max(1e-9, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}

extension Double {
    init(_ duration: Duration) {
        self = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    var nonZero: Double { Swift.max(self, 1e-9) }
}
