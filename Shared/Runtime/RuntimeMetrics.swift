import Prometheus

/// The runtime's Prometheus series, from one registry per running service so that several
/// loops in one process (tests, benchmarks) never share counters.
public struct RuntimeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let recordsIn: Counter
    let recordsOut: Counter
    let deadLettered: Counter
    let duplicates: Counter
    let rejected: Counter
    let batchFailures: Counter
    let batchLatency: DurationHistogram
    let publishLatency: DurationHistogram
    let outboxPending: Gauge
    let ready: Gauge

    public init(service: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let labels = [("service", service)]
        recordsIn = registry.makeCounter(name: "eco_records_in_total", labels: labels,
                                         help: "Records consumed from input topics")
        recordsOut = registry.makeCounter(name: "eco_records_out_total", labels: labels,
                                          help: "Events published from the outbox")
        deadLettered = registry.makeCounter(name: "eco_records_dead_lettered_total", labels: labels,
                                            help: "Records sent to a dead-letter topic")
        duplicates = registry.makeCounter(name: "eco_records_duplicate_total", labels: labels,
                                          help: "Records skipped because their event id was already applied")
        rejected = registry.makeCounter(name: "eco_commands_rejected_total", labels: labels,
                                        help: "Inputs refused with CommandRejected")
        batchFailures = registry.makeCounter(name: "eco_batch_failures_total", labels: labels,
                                             help: "Batches rolled back and retried (storage faults)")
        let buckets: [Duration] = [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5),
                                   .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1)]
        batchLatency = registry.makeDurationHistogram(name: "eco_batch_seconds", labels: labels, buckets: buckets,
                                                      help: "Time to apply and commit one consumed batch")
        publishLatency = registry.makeDurationHistogram(name: "eco_publish_seconds", labels: labels, buckets: buckets,
                                                        help: "Time to publish one outbox chunk until acknowledged")
        outboxPending = registry.makeGauge(name: "eco_outbox_pending", labels: labels, help: "Unpublished outbox rows")
        ready = registry.makeGauge(name: "eco_ready", labels: labels, help: "1 when the service is ready")
    }

    /// Sets the lag gauge of one partition (created on first use).
    func setLag(_ lag: Int64, topic: String, partition: Int32, service: String) {
        registry.makeGauge(name: "eco_consumer_lag", labels: [("service", service), ("topic", topic),
                                                              ("partition", String(partition))],
                           help: "Records behind the partition's high watermark").set(Double(lag))
    }

    /// The Prometheus text exposition of every series.
    public func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
