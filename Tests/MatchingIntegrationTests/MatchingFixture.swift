import Contract
import EcoTestKit
import Foundation
import GRDB

/// A broker, a `matching` process, a writer that plays the participants, the registry and
/// settlement, and a reader of `matching.events`.
final class MatchingFixture: @unchecked Sendable {
    let broker: BrokerFixture
    let matching: ServiceProcess
    let writer: TopicWriter
    let events: TopicReader

    init(extraArguments: [String] = []) async throws {
        broker = try BrokerFixture()
        matching = try ServiceProcess("matching", brokers: broker.brokers, extraArguments: extraArguments)
        try matching.start()
        try await matching.waitUntilReady()
        writer = try TopicWriter(brokers: broker.brokers)
        events = try TopicReader(brokers: broker.brokers, topic: .matchingEvents, catalogue: .matchingEvents)
    }

    func stop() {
        events.close()
        writer.close()
        matching.stop()
        broker.stop()
    }

    /// A JSON document from the admin port.
    func admin(_ path: String) async throws -> [String: Any] {
        let (status, body) = try await matching.admin(path)
        guard status == 200, let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw TestKitError("GET \(path) answered \(status): \(String(decoding: body, as: UTF8.self))")
        }
        return object
    }

    /// Waits until the engine has applied `seq` journaled inputs (the holds matching keeps
    /// without answering, for instance).
    func awaitApplied(_ seq: Int, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        var applied = -1
        while ContinuousClock.now < deadline {
            applied = (try? await admin("/journal"))?["appliedSeq"] as? Int ?? -1
            if applied >= seq { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestKitError("matching applied \(applied) of \(seq) inputs within \(timeout)\n\(matching.logTail())")
    }

    /// Waits until the runtime has taken in `count` records from the input topics (those matching
    /// ignores count too).
    func awaitRecordsIn(_ count: Int, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        var seen = -1
        while ContinuousClock.now < deadline {
            seen = (try? await admin("/status"))?["recordsIn"] as? Int ?? -1
            if seen >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestKitError("matching took in \(seen) of \(count) records within \(timeout)\n\(matching.logTail())")
    }

    /// The seq of the newest snapshot in the service's SQLite file (read-only, beside it).
    func latestSnapshot() throws -> Int? {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: matching.dbPath, configuration: configuration).read {
            try Int.fetchOne($0, sql: "SELECT MAX(seq) FROM snapshots")
        }
    }

    /// Everything a dead-letter topic holds (expected: nothing).
    func deadLetters(of topic: Topic) throws -> Int {
        let reader = try TopicReader(brokers: broker.brokers, topic: topic.deadLetter, catalogue: PayloadCatalogue([]))
        defer { reader.close() }
        Thread.sleep(forTimeInterval: 0.5)
        return reader.records.count
    }
}

/// The saga's other parties, as this test plays them.
enum Saga {
    /// The hold the registry (sells) or settlement (buys) places for an order, with its topic.
    static func hold(for order: SubmitOrder) -> (any EventPayload, Topic) {
        switch order.side {
        case .sell:
            (AllowancesFrozen(orderId: order.orderId, accountId: order.accountId, instrument: order.instrument,
                              quantity: order.quantity), .registryEvents)
        case .buy:
            (FundsReserved(orderId: order.orderId, accountId: order.accountId, amount: order.quantity * order.price),
             .settlementEvents)
        }
    }

    /// The refusal of that hold.
    static func refusal(for order: SubmitOrder) -> (any EventPayload, Topic) {
        switch order.side {
        case .sell:
            (FreezeRejected(orderId: order.orderId, accountId: order.accountId, code: "insufficient-allowances",
                            reason: "the seller holds too few allowances", instrument: order.instrument), .registryEvents)
        case .buy:
            (ReserveRejected(orderId: order.orderId, accountId: order.accountId, code: "insufficient-funds",
                             reason: "the buyer's balance is too low", instrument: order.instrument), .settlementEvents)
        }
    }

    static func order(_ id: String, _ account: String, _ side: Contract.Side, _ quantity: Int64, at price: Int64) -> SubmitOrder {
        SubmitOrder(orderId: id, accountId: account, instrument: .cea, side: side, method: .listed, quantity: quantity, price: price)
    }
}

extension TopicWriter {
    /// Sends a payload whose type is only known at run time, with a chosen envelope id.
    func send(any payload: any EventPayload, to topic: Topic, id: UUID = UUID()) async throws {
        try await sendOpened(payload, to: topic, id: id)
    }

    private func sendOpened<P: EventPayload>(_ payload: P, to topic: Topic, id: UUID) async throws {
        try await send(Envelope(command: payload, source: "test", id: id), to: topic)
    }
}
