import Contract
import EcoTestKit
import Foundation

/// What the market part of the demo produced, read back from the services' events.
struct MarketResult {
    var preAllocated: Int64 = 0
    var finalAllocated: Int64 = 0
    var allocatedEntities = 0
    var allocationRefusals = 0
    var deposits: Int64 = 0
    var accepted = 0
    var rejected: [String: Int] = [:]
    var trades: [TradeExecuted] = []
    var settled: [TradeSettled] = []
    var session: SessionClosed?
    var statements = 0
    var reconciliation: ReconciliationCompleted?
    var compliance: [ComplianceStatus: Int] = [:]
    var shortfallTonnes: Int64 = 0
}

/// Allocation, a trading day (listed orders, a block trade, a one-way auction), settlement, and
/// the compliance cycle, played through the topics.
struct MarketScenario {
    let writer: TopicWriter
    let log: EventLog
    let data: DemoData
    let progress: Progress
    let year = 2025
    let day: CivilDate
    var random = SeededGenerator(seed: 7)

    init(writer: TopicWriter, log: EventLog, data: DemoData, progress: Progress) {
        self.writer = writer
        self.log = log
        self.data = data
        self.progress = progress
        let chinaNow = Timestamp.now().adding(milliseconds: 8 * 3_600_000)
        day = CivilDate(daysSinceEpoch: chinaNow.millisecondsSinceEpoch / 86_400_000)
    }

    func send<P: EventPayload>(_ payloads: [P], to topic: Topic) async throws {
        let envelopes = payloads.map { Envelope(command: $0, source: "ecoctl-demo") }
        for chunk in stride(from: 0, to: envelopes.count, by: 1000) {
            try await writer.sendAll(Array(envelopes[chunk..<min(envelopes.count, chunk + 1000)]), to: topic)
        }
    }

    mutating func run() async throws -> MarketResult {
        var result = MarketResult()
        try await allocate(&result)
        try await trade(&result)
        try await comply(&result)
        return result
    }

    private mutating func allocate(_ result: inout MarketResult) async throws {
        let plants = data.powerPlants
        progress.step("recording \(year - 1) and \(year) output of \(plants.count) plants and allocating by the benchmark method")
        var outputs: [RecordUnitOutput] = []
        for plant in plants {
            for unit in plant.units {
                for recordYear in [year - 1, year] {
                    let hours = Int64.random(in: 3800...5600, using: &random)
                    let heat = unit.category == .gas ? 0 : Int64.random(in: 0...400_000, using: &random)
                    outputs.append(RecordUnitOutput(
                        entityId: plant.entityId, unitId: unit.unitId, year: recordYear, electricityMWh: unit.capacityMW * hours,
                        heatGJ: heat, loadRate: Double(Int.random(in: 70...95, using: &random)) / 100,
                        heatSupplyRatio: heat == 0 ? 0 : Double(Int.random(in: 1...25, using: &random)) / 100))
                }
            }
        }
        try await send(outputs, to: .registryCommands)
        for phase in [AllocationPhase.pre, .final] {
            try await send([AllocateAllowances(year: year, phase: phase)], to: .registryCommands)
            try await log.wait("\(phase.rawValue)-allocation", for: plants.count) {
                log.registry.payloads(AllowancesAllocated.self).filter { $0.phase == phase }.count
                    + log.registry.payloads(CommandRejected.self).filter { $0.commandType == "AllocateAllowances" }.count
            }
        }
        let allocations = log.registry.payloads(AllowancesAllocated.self)
        result.preAllocated = allocations.filter { $0.phase == .pre }.reduce(0) { $0 + $1.quantity }
        result.finalAllocated = allocations.filter { $0.phase == .final }.reduce(0) { $0 + $1.quantity }
        result.allocatedEntities = Set(allocations.map(\.entityId)).count
        result.allocationRefusals = log.registry.payloads(CommandRejected.self).filter { $0.commandType == "AllocateAllowances" }.count
    }
}
