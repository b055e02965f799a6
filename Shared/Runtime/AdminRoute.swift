import Foundation

/// A read-only admin endpoint a service adds to its admin port, without depending on the HTTP
/// server: a path pattern such as `/entities/{id}` and a function from request to JSON.
public struct AdminRoute: Sendable {
    public var path: String
    public var summary: String
    public var respond: @Sendable (AdminRequest) throws -> AdminResponse

    public init(_ path: String, summary: String, respond: @escaping @Sendable (AdminRequest) throws -> AdminResponse) {
        self.path = path
        self.summary = summary
        self.respond = respond
    }
}

public struct AdminRequest: Sendable {
    /// Values of the `{name}` segments of the route's path.
    public var parameters: [String: String]
    public var query: [String: String]

    public init(parameters: [String: String] = [:], query: [String: String] = [:]) {
        self.parameters = parameters
        self.query = query
    }
}

public struct AdminResponse: Sendable {
    public var status: Int
    public var body: Data
    public var contentType: String

    public init(status: Int = 200, body: Data, contentType: String = "application/json") {
        self.status = status
        self.body = body
        self.contentType = contentType
    }

    /// A JSON body with sorted keys (stable output for tools and tests).
    public static func json<T: Encodable>(_ value: T, status: Int = 200) -> AdminResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return AdminResponse(status: status, body: try encoder.encode(value))
        } catch {
            return AdminResponse(status: 500, body: Data("{\"error\":\"encoding failed\"}".utf8))
        }
    }

    public static func notFound(_ what: String) -> AdminResponse {
        json(["error": "\(what) not found"], status: 404)
    }
}
