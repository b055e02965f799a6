import Contract
import EcoTestKit
import Foundation
import Kafka

/// The broker and services the demo runs on: started here (a private Tansu broker and the service
/// executables beside ecoctl, each with its SQLite file under `--workdir`) or, with `--attach`,
/// the ones already running.
final class DemoStack {
    let brokers: String
    private(set) var services: [String: ServiceProcess] = [:]
    let broker: BrokerFixture?

    init(attachTo brokers: String?, workdir: URL, serviceNames: [String], log: (String) -> Void) async throws {
        if let brokers {
            self.brokers = brokers
            self.broker = nil
            log("attaching to the broker at \(brokers)")
        } else {
            let broker = try BrokerFixture(createTopics: false)
            self.broker = broker
            self.brokers = broker.brokers
            log("started a Tansu broker on \(broker.brokers)")
        }
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: self.brokers, clientID: "ecoctl-demo"))
        let created = try admin.createTopics(TopicSpec.catalogue.map { NewTopic(name: $0.topic.rawValue, partitions: $0.partitions) })
        log("topics ready (\(created.count) created, \(TopicSpec.catalogue.count - created.count) existed)")
        guard brokers == nil else { return }
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        for name in serviceNames {
            let directory = workdir.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: directory)
            let process = try ServiceProcess(name, brokers: self.brokers, directory: directory)
            try process.start()
            services[name] = process
        }
        for (name, process) in services.sorted(by: { $0.key < $1.key }) {
            try await process.waitUntilReady(timeout: .seconds(60))
            log("\(name) ready (admin http://127.0.0.1:\(process.adminPort)/, log \(process.logURL.path))")
        }
    }

    func stop() {
        for process in services.values { process.stop() }
        broker?.stop()
    }
}
