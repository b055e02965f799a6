import Contract
import EcoTestKit
import Foundation
import RegistryDomain

/// Admin-port views of the ledger for topic-level tests (the JSON of the registry's routes).
extension RegistryFixture {
    /// GET `path` on the registry's admin port, decoded.
    func adminJSON<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        let (status, body) = try await registry.admin(path)
        guard status == 200 else {
            throw TestKitError("GET \(path) answered \(status): \(String(decoding: body, as: UTF8.self))")
        }
        return try JSONDecoder().decode(T.self, from: body)
    }

    func totals() async throws -> TotalsView { try await adminJSON("/totals", as: TotalsView.self) }

    /// `entityId`'s holding of `instrument` (zeros when it holds none).
    func holding(_ entityId: String, _ instrument: String = "CEA") async throws -> HoldingRow {
        let body = try await adminJSON("/entities/\(entityId)/holdings", as: HoldingsView.self)
        return body.holdings.first { $0.instrument == instrument }
            ?? HoldingRow(instrument: instrument, held: 0, frozen: 0, available: 0, acquiredToday: 0, sellable: 0, retired: 0)
    }

    /// Waits until the registry's current trading day is `day`.
    func awaitTradingDay(_ day: String, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await totals().tradingDay == day { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestKitError("trading day \(day) did not start within \(timeout)")
    }

    /// Waits until the admin port shows `count` recorded outputs for `entityId`: stored, not just
    /// acknowledged, before a year-wide command that travels on another partition (`*`) reads them.
    /// (`UnitOutputRecorded` says the same per output; the admin port counts them in one place.)
    func awaitOutputs(_ entityId: String, count: Int, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (status, body) = try await registry.admin("/entities/\(entityId)/outputs")  // 404 until registered
            if status == 200, try JSONDecoder().decode([OutputRow].self, from: body).count >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestKitError("\(entityId) did not get \(count) outputs within \(timeout)")
    }
}

struct TotalsView: Decodable, Equatable {
    struct Instrument: Decodable, Equatable {
        var instrument: String
        var issued: Int64
        var clawedBack: Int64
        var held: Int64
        var frozen: Int64
        var retired: Int64
        var balanced: Bool
        var problems: [String]
    }

    var balanced: Bool
    var instruments: [Instrument]
    var journalEntries: Int
    var tradingDay: String?

    func of(_ instrument: String) -> Instrument? { instruments.first { $0.instrument == instrument } }
}

struct HoldingRow: Decodable, Equatable {
    var instrument: String
    var held: Int64
    var frozen: Int64
    var available: Int64
    var acquiredToday: Int64
    var sellable: Int64
    var retired: Int64
}

struct HoldingsView: Decodable {
    var holdings: [HoldingRow]
}

struct OutputRow: Decodable {
    var unitId: String
    var year: Int
}

/// A market participant without emissions.
func investorProfile(_ id: String) -> EntityProfile {
    var profile = plant(id, name: "Investor")
    profile.sector = .investor
    profile.nationalETS = false
    profile.units = []
    return profile
}

func unitOutput(_ entityId: String, year: Int, mwh: Int64) -> RecordUnitOutput {
    RecordUnitOutput(entityId: entityId, unitId: "U1", year: year, electricityMWh: mwh, heatGJ: 0, loadRate: 0.9, heatSupplyRatio: 0)
}
