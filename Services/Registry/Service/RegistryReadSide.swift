import Contract
import Foundation
import GRDB
import RegistryDomain
import ServiceRuntime
import Store

/// The registry's read-only admin routes. Everything comes from SQLite (what is committed), not
/// from the in-memory ledger, which may run ahead within a batch.
struct RegistryReadSide: Sendable {
    let store: EventStoreReader
    let configuration: RegistryConfiguration
    /// How the ledger in memory was last rebuilt (the one thing here not read from SQLite).
    let lastRestore: @Sendable () -> RestoreReport?

    var routes: [AdminRoute] {
        [
            AdminRoute("/entities", summary: "registered entities, 100 a page (?after=ID)") { request in
                let after = request.query["after"] ?? ""
                let (total, page) = try store.read { db in (try EntityRecords.count(db), try EntityRecords.page(db, after: after, limit: 100)) }
                return .json(EntityPage(total: total, entities: page))
            },
            AdminRoute("/entities/{id}", summary: "one entity's current record") { request in
                let id = request.parameters["id"] ?? ""
                guard let record = try store.read({ try EntityRecords.find($0, id: id) }) else {
                    return .notFound("entity \(id)")
                }
                return .json(record)
            },
            AdminRoute("/entities/{id}/history", summary: "every version of an entity's record") { request in
                entityRoute(request) { db, id in try EntityRecords.history(db, id: id) }
            },
            AdminRoute("/entities/{id}/holdings", summary: "holdings per instrument (held, frozen, acquired today, sellable) and open holds") { request in
                entityRoute(request) { db, id in
                    HoldingsBody(entityId: id, tradingDay: try JournalStore.tradingDay(db)?.description,
                                 holdings: try LedgerQueries.holdings(db, entityId: id),
                                 openHolds: try LedgerQueries.openHolds(db, entityId: id))
                }
            },
            AdminRoute("/entities/{id}/journal", summary: "journal entries touching an entity (?after=SEQ&limit=N, at most 1000)") { request in
                let after = Int64(request.query["after"] ?? "") ?? 0
                let limit = min(max(Int(request.query["limit"] ?? "") ?? 100, 1), 1000)
                return entityRoute(request) { db, id in try LedgerQueries.journal(db, entityId: id, after: after, limit: limit) }
            },
            AdminRoute("/entities/{id}/outputs", summary: "recorded unit outputs, by year and unit") { request in
                entityRoute(request) { db, id in try AllocationRecords.outputs(db, entityId: id) }
            },
            AdminRoute("/entities/{id}/allocations", summary: "allocations issued, by year and phase") { request in
                entityRoute(request) { db, id in try AllocationRecords.allocations(db, entityId: id) }
            },
            AdminRoute("/entities/{id}/compliance/{year}", summary: "a year's compliance figures, current assessment and the last emitted one") { request in
                guard let year = Int(request.parameters["year"] ?? "") else {
                    return .json(["error": "year must be a number"], status: 400)
                }
                return try compliance(request.parameters["id"] ?? "", year: year)
            },
            AdminRoute("/allocations/{year}", summary: "a year's allocation progress: outputs recorded, entities and tonnes per phase") { request in
                guard let year = Int(request.parameters["year"] ?? "") else {
                    return .json(["error": "year must be a number"], status: 400)
                }
                return .json(try store.read { try AllocationSummary.load($0, year: year) })
            },
            AdminRoute("/totals", summary: "market-wide totals per instrument and the conservation check") { _ in
                .json(try store.read { db in
                    let instruments = try LedgerQueries.totals(db)
                    return TotalsBody(balanced: instruments.allSatisfy(\.balanced), instruments: instruments,
                                      journalEntries: try LedgerQueries.journalCount(db), entities: try EntityRecords.count(db),
                                      tradingDay: try JournalStore.tradingDay(db)?.description)
                })
            },
            .ledger(store: store, journalEntries: { try LedgerQueries.journalCount($0) }, lastRestore: lastRestore),
        ]
    }

    /// Answers with `body`'s value for an existing entity, 404 otherwise.
    private func entityRoute<T: Encodable>(_ request: AdminRequest, _ body: (Database, String) throws -> T) -> AdminResponse {
        let id = request.parameters["id"] ?? ""
        do {
            let value: T? = try store.read { db in
                try EntityRecords.find(db, id: id) == nil ? nil : try body(db, id)
            }
            guard let value else { return .notFound("entity \(id)") }
            return .json(value)
        } catch {
            return .json(["error": "\(error)"], status: 500)
        }
    }

    private func compliance(_ id: String, year: Int) throws -> AdminResponse {
        let calculator = ComplianceCalculator(rules: configuration.complianceRules)
        let body: ComplianceBody? = try store.read { db in
            guard let record = try EntityRecords.find(db, id: id) else { return nil }
            let figures = try ComplianceRecords.figures(db, record, year: year)
            let phases = try AllocationRecords.allocations(db, year: year, entityId: id)[id] ?? [:]
            return ComplianceBody(entityId: id, year: year, rulesVersion: configuration.complianceRules.version,
                                  figures: figures, current: try? calculator.assess(figures),
                                  lastAssessed: try ComplianceRecords.assessment(db, entityId: id, year: year),
                                  allocations: phases.values.sorted { $0.phase > $1.phase })
        }
        guard let body else { return .notFound("entity \(id)") }
        return .json(body)
    }
}

struct EntityPage: Encodable {
    var total: Int
    var entities: [EntityRecord]
}

struct HoldingsBody: Encodable {
    var entityId: String
    var tradingDay: String?
    var holdings: [HoldingView]
    var openHolds: [HoldView]
}

struct ComplianceBody: Encodable {
    var entityId: String
    var year: Int
    var rulesVersion: String
    var figures: ComplianceFigures
    /// The assessment the figures give now (what `AssessCompliance` would emit).
    var current: ComplianceAssessment?
    var lastAssessed: StoredAssessment?
    var allocations: [StoredAllocation]
}

struct TotalsBody: Encodable {
    var balanced: Bool
    var instruments: [InstrumentTotals]
    var journalEntries: Int
    var entities: Int
    var tradingDay: String?
}

/// A year's allocation progress (for operators and the benchmark).
struct AllocationSummary: Encodable {
    struct Phase: Encodable {
        var entities: Int
        var quantity: Int64
        var holdingChange: Int64
    }

    var year: Int
    var entitiesWithOutput: Int
    var unitOutputs: Int
    var pre: Phase
    var final: Phase

    static func load(_ db: Database, year: Int) throws -> AllocationSummary {
        let outputs = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS units, COUNT(DISTINCT entityId) AS entities FROM unit_outputs WHERE year = ?",
                                       arguments: [year])
        func phase(_ name: String) throws -> Phase {
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS n, COALESCE(SUM(quantity), 0) AS q, COALESCE(SUM(holdingChange), 0) AS c
                FROM allocations WHERE year = ? AND phase = ?
                """, arguments: [year, name])
            return Phase(entities: row?["n"] ?? 0, quantity: row?["q"] ?? 0, holdingChange: row?["c"] ?? 0)
        }
        return AllocationSummary(year: year, entitiesWithOutput: outputs?["entities"] ?? 0, unitOutputs: outputs?["units"] ?? 0,
                                 pre: try phase("pre"), final: try phase("final"))
    }
}
