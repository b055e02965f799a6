import ArgumentParser

/// The operators' command line: provisions topics, sends commands, follows topics and runs the
/// demo scenario that shows the whole system working.
@main
struct Ecoctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecoctl",
        abstract: "Operate the carbon-market and air-alert services through their Kafka topics.",
        subcommands: [Topics.self, Send.self, Tail.self, Status.self, DLQ.self, StoredOffsets.self, Reconcile.self, Demo.self,
                      Chaos.self])
}

/// `--brokers`, falling back to ECO_BROKERS, then the local default.
struct BrokerOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers host:port[,host:port] (env ECO_BROKERS; default 127.0.0.1:9092).")
    var brokers: String?

    var resolved: String { brokers ?? ProcessInfoEnvironment.value("ECO_BROKERS") ?? "127.0.0.1:9092" }
}
