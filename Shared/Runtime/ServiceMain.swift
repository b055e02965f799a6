import Contract
import Foundation
import Kafka
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Store

/// Runs one service process: logging, the store, the loop, the admin server, and a clean stop
/// on SIGTERM or SIGINT (finish the batch, flush the outbox, close SQLite).
public enum ServiceMain {
    public static func run(handler: any EventHandler, options: ServiceOptions, defaultAdminPort: Int) async throws {
        // Before anything can open SQLite (the configuration is process-wide and not threadsafe).
        let sqliteStatisticsOff = EventStore.turnOffSQLiteMemoryStatistics()
        let settings = try options.resolve(service: handler.serviceName, defaultAdminPort: defaultAdminPort)
        // A file-size limit (RLIMIT_FSIZE) reached while writing SQLite must be a storage fault the
        // loop reports and retries (EFBIG), not SIGXFSZ's default of killing the process.
        signal(SIGXFSZ, SIG_IGN)
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: settings.logLevel) }
        let logger = Logger(label: handler.serviceName)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let store: EventStore
        do {
            let opening = ContinuousClock.now
            store = try EventStore(path: settings.db, migrations: handler.migrate)
            // Opening loads every held event id into memory; say how many and how long it took.
            let took = (ContinuousClock.now - opening).components
            let seconds = Double(took.seconds) + Double(took.attoseconds) / 1e18
            var metadata: Logger.Metadata = ["db": "\(settings.db)", "inboxIds": "\(store.inbox.count)",
                                             "outboxIds": "\(store.outbox.count)",
                                             "sqliteMemoryStatisticsOff": "\(sqliteStatisticsOff)",
                                             "seconds": "\(String(format: "%.3f", seconds))"]
            // An operator's last move of the stored offsets (`ecoctl offsets set`), so the log
            // of the start that follows it says where the service resumes and why.
            if let move = try store.read({ try OffsetMoves.recent($0, limit: 1) }).first {
                metadata["lastOffsetMove"] = """
                    \(Timestamp(millisecondsSinceEpoch: move.movedAt)) \(move.partition) \(move.from.map(String.init) ?? "none") -> \
                    \(move.to) by \(move.movedBy)\(move.reason.map { ": \($0)" } ?? "")
                    """
            }
            logger.info("store opened", metadata: metadata)
        } catch {
            logger.critical("cannot open the store", metadata: ["db": "\(settings.db)", "error": "\(error)"])
            throw error
        }
        var runtime = RuntimeOptions(brokers: settings.brokers)
        runtime.batchSize = settings.batchSize
        runtime.inboxRetentionMs = Int64(settings.inboxRetentionHours) * 3600 * 1000
        runtime.kafkaProperties = settings.kafkaProperties
        if let limit = settings.kafkaProperties["message.max.bytes"].flatMap(Int.init), limit > 64 * 1024 {
            runtime.maxEventBytes = limit - 32 * 1024 // headroom for the record's key, headers and framing
        }
        let loop = ServiceLoop(handler: handler, store: store, options: runtime, logger: logger,
                               metrics: RuntimeMetrics(service: handler.serviceName, registry: registry))
        let admin = AdminServer.makeApplication(host: settings.adminHost, port: settings.adminPort, status: loop.status,
                                                metrics: loop.metrics, routes: handler.adminRoutes(store: EventStoreReader(store)),
                                                logger: logger)
        logger.info("starting", metadata: ["brokers": "\(settings.brokers)", "db": "\(settings.db)",
                                           "admin": "\(settings.adminHost):\(settings.adminPort)",
                                           "librdkafka": "\(librdkafkaVersion)"])
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: LoopService(loop: loop), successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: admin, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("stopped")
    }
}

/// Adapts the loop to swift-service-lifecycle: graceful shutdown asks it to finish its batch.
struct LoopService: Service {
    let loop: ServiceLoop

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await loop.run()
        } onGracefulShutdown: {
            loop.stop()
        }
    }
}
