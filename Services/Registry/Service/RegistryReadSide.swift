import Contract
import Foundation
import ServiceRuntime

/// The registry's read-only admin routes.
struct RegistryReadSide: Sendable {
    let store: EventStoreReader

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
        ]
    }
}

struct EntityPage: Encodable {
    var total: Int
    var entities: [EntityRecord]
}
