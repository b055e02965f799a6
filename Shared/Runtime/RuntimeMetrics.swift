import Prometheus

/// The runtime's Prometheus series, from one registry per running service so that several
/// loops in one process (tests, benchmarks) never share counters.
public struct RuntimeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let recordsIn: Counter
    let recordsOut: Counter
    let deadLettered: Counter
    let duplicates: Counter
    let ignored: Counter
    let rejected: Counter
    let batchFailures: Counter
    let carefulRetries: Counter
    let offsetGapRefetches: Counter
    let offsetsSkipped: Counter
    let outboxTableReads: Counter
    let batchLatency: DurationHistogram
    let publishLatency: DurationHistogram
    let outboxPending: Gauge
    let ready: Gauge
    let inboxIds: Gauge
    let outboxIds: Gauge

    public init(service: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let labels = [("service", service)]
        func counter(_ name: String, _ help: String) -> Counter {
            registry.makeCounter(descriptor: Self.named(name, help), labels: labels)
        }
        func gauge(_ name: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: Self.named(name, help), labels: labels)
        }
        let buckets: [Duration] = [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5),
                                   .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1)]
        func histogram(_ name: String, _ help: String) -> DurationHistogram {
            registry.makeDurationHistogram(descriptor: Self.named(name, help), labels: labels, buckets: buckets)
        }
        recordsIn = counter("eco_records_in_total", "Records consumed from input topics")
        recordsOut = counter("eco_records_out_total", "Events published from the outbox")
        deadLettered = counter("eco_records_dead_lettered_total", "Records sent to a dead-letter topic")
        duplicates = counter("eco_records_duplicate_total", "Records skipped because their event id was already applied")
        ignored = counter("eco_records_ignored_total",
                          "Records of types the service reads and does not act on, passed over after validation")
        rejected = counter("eco_commands_rejected_total", "Inputs refused with CommandRejected")
        batchFailures = counter("eco_batch_failures_total", "Batches rolled back and retried (storage faults)")
        carefulRetries = counter("eco_batch_careful_retries_total",
                                 "Batches applied again record by record in savepoints (a refusal after writes, an oversize event)")
        offsetGapRefetches = counter("eco_offset_gap_refetches_total",
                                     "Fetches that skipped offsets of a partition and were fetched again from the stored offset")
        offsetsSkipped = counter("eco_offsets_skipped_total",
                                 "Offsets given up as missing after the same gap came back on every refetch")
        outboxTableReads = counter("eco_outbox_table_reads_total",
                                   "Publish chunks read back from the outbox table because memory could not hand them over")
        batchLatency = histogram("eco_batch_seconds", "Time to apply and commit one consumed batch")
        publishLatency = histogram("eco_publish_seconds", "Time to publish one outbox chunk until acknowledged")
        outboxPending = gauge("eco_outbox_pending", "Unpublished outbox rows")
        ready = gauge("eco_ready", "1 when the service is ready")
        inboxIds = gauge("eco_inbox_ids", "Applied event ids held to recognise copies")
        outboxIds = gauge("eco_outbox_ids", "Emitted event ids held until their outbox rows are pruned")
    }

    /// Sets the lag gauge of one partition (created on first use).
    func setLag(_ lag: Int64, topic: String, partition: Int32, service: String) {
        registry.makeGauge(descriptor: Self.named("eco_consumer_lag", "Records behind the partition's high watermark"),
                           labels: [("service", service), ("topic", topic), ("partition", String(partition))])
            .set(Double(lag))
    }

    /// A series' descriptor with the whole name given at once (the unit is already in `name`).
    private static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// The Prometheus text exposition of every series.
    public func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
