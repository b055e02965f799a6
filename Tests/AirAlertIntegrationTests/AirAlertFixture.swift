import Contract
import EcoTestKit
import Foundation

/// A broker, the real `air-alert` executable, a writer to its inputs and readers of its outputs.
final class AirAlertFixture: @unchecked Sendable {
    let broker: BrokerFixture
    let service: ServiceProcess
    let writer: TopicWriter
    let alerts: TopicReader
    let deadLetters: TopicReader

    init(extraArguments: [String] = []) async throws {
        broker = try BrokerFixture()
        service = try ServiceProcess("air-alert", brokers: broker.brokers, extraArguments: extraArguments)
        try service.start()
        try await service.waitUntilReady()
        writer = try TopicWriter(brokers: broker.brokers)
        alerts = try TopicReader(brokers: broker.brokers, topic: .airAlerts, catalogue: .airAlerts)
        deadLetters = try TopicReader(brokers: broker.brokers, topic: Topic.airObservations.deadLetter,
                                      catalogue: .airObservations)
    }

    func stop() {
        alerts.close()
        deadLetters.close()
        writer.close()
        service.stop()
        broker.stop()
    }

    /// The payloads on `air.alerts` keyed by `district`, as (type, payload) in offset order.
    func events(of district: String) -> [ObservedRecord] {
        alerts.records.filter { $0.record.keyString == district && $0.envelope != nil }
            .sorted { $0.record.offset < $1.record.offset }
    }

    func types(of district: String) -> [String] {
        events(of: district).compactMap(\.type)
    }

    /// An admin route's JSON object.
    func admin(_ path: String) async throws -> [String: Any] {
        let (status, body) = try await service.admin(path)
        guard status == 200, let json = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw TestKitError("\(path): status \(status), body \(String(decoding: body, as: UTF8.self))")
        }
        return json
    }

    /// Waits until the service has applied at least `count` records. Records on different topics
    /// are unordered, so a test whose forecast must find the enterprises already known waits for
    /// their registrations to be applied before sending it.
    func awaitApplied(_ count: Int) async throws {
        _ = try await awaitAdmin("/status") { (($0["recordsIn"] as? NSNumber)?.intValue ?? 0) >= count }
    }

    /// Waits until `condition` holds for the JSON of an admin route.
    func awaitAdmin(_ path: String, timeout: Duration = .seconds(20),
                    until condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        var last: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            if let json = try? await admin(path) {
                last = json
                if condition(json) { return json }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestKitError("\(path) did not reach the expected state within \(timeout); last: \(last)")
    }
}

/// An instant in China Standard Time: `cst("2026-07-10", 10)` is 10:00 CST.
func cst(_ date: String, _ hour: Int, _ minute: Int = 0) -> Timestamp {
    guard let day = CivilDate(date) else { fatalError("bad date \(date)") }
    let seconds = day.daysSinceEpoch * 86_400 - 8 * 3600 + Int64(hour * 3600 + minute * 60)
    return Timestamp(millisecondsSinceEpoch: seconds * 1000)
}

/// A forecast of daily IAQIs from `start`.
func forecast(_ id: String, _ district: String, issued: Timestamp, start: String, _ iaqis: [Int64]) -> AirQualityForecast {
    guard let first = CivilDate(start) else { fatalError("bad date \(start)") }
    return AirQualityForecast(forecastId: id, district: district, issuedAt: issued, days: iaqis.enumerated().map {
        ForecastDay(date: first.adding(days: Int64($0.offset)), iaqi: $0.element)
    })
}

/// A registry profile with the flags the air-alert service reads.
func enterprise(_ id: String, district: String, sector: Sector, voc: Bool = false, green: Bool = false) -> EntityProfile {
    EntityProfile(entityId: id, name: "Enterprise \(id)", creditCode: "91510100MA61234567", sector: sector,
                  district: district, nationalETS: sector == .power, vocEmitter: voc, greenBenchmark: green, units: [])
}

/// The registry's event for `profile`, as the registry would publish it.
func registered(_ profile: EntityProfile) -> Envelope<EntityRegistered> {
    Envelope(command: EntityRegistered(profile), source: "registry")
}
