import Contract
import GRDB
import ServiceRuntime

/// consume -> transaction -> outbox -> publish with no domain work: what the runtime costs.
struct TrivialHandler: EventHandler {
    let serviceName = "runtime-bench"
    let inputTopics: [Topic] = [Topic("bench.in")]
    let rejectionTopic = Topic("bench.out")
    let catalogue = PayloadCatalogue([BenchPing.self])

    func migrate(_ migrator: inout DatabaseMigrator) {}

    func handle(_ event: IncomingEnvelope, context: inout HandlerContext) throws {
        guard let ping = event.payload(as: BenchPing.self) else { return }
        context.emit(BenchPong(key: ping.key, sequence: ping.sequence), to: Topic("bench.out"))
    }
}
