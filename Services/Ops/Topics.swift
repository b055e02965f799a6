import ArgumentParser
import Contract
import Kafka

struct Topics: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Provision or list the topics of the contract.",
        subcommands: [Create.self, List.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create every topic of the catalogue and its .dlq companion (safe to repeat).")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "Retention of the topics in hours (Kafka retention.ms); 0 keeps the broker default.")
        var retentionHours: Int = 168

        func validate() throws {
            guard (0...87_600).contains(retentionHours) else { throw ValidationError("--retention-hours must be 0...87600") }
        }

        func run() throws {
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.resolved, clientID: "ecoctl"))
            let config = retentionHours > 0 ? ["retention.ms": String(retentionHours * 3_600_000)] : [:]
            let created = try admin.createTopics(TopicSpec.catalogue.map {
                NewTopic(name: $0.topic.rawValue, partitions: $0.partitions, config: config)
            })
            for spec in TopicSpec.catalogue {
                let state = created.contains(spec.topic.rawValue) ? "created" : "exists"
                print("\(state.padding(toLength: 8, withPad: " ", startingAt: 0)) \(spec.topic.rawValue) (\(spec.partitions) partitions, key \(spec.key))")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the broker's topics with their partition counts.")
        @OptionGroup var broker: BrokerOptions

        func run() throws {
            let admin = try KafkaAdmin(configuration: KafkaConfiguration(brokers: broker.resolved, clientID: "ecoctl"))
            for (name, partitions) in try admin.listTopics().sorted(by: { $0.key < $1.key }) {
                print("\(name)\t\(partitions)")
            }
        }
    }
}
