import Foundation
import Hummingbird
import Logging

/// The admin port: `/healthz` (alive), `/readyz` (assigned, caught up, no fault), `/status`
/// (the same as JSON), `/metrics` (Prometheus text) and the service's read-only routes.
public enum AdminServer {
    public static func makeApplication(host: String, port: Int, status: RuntimeStatus, metrics: RuntimeMetrics,
                                       routes: [AdminRoute], logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/healthz") { _, _ in
            jsonResponse(["status": "ok", "service": status.snapshot.service])
        }
        router.get("/readyz") { _, _ in
            let snapshot = status.snapshot
            return jsonResponse(ReadyBody(ready: snapshot.ready, status: snapshot), status: snapshot.ready ? .ok : .serviceUnavailable)
        }
        router.get("/status") { _, _ in jsonResponse(status.snapshot) }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        let index = routes.map { ["path": $0.path, "summary": $0.summary] }
            + [["path": "/healthz", "summary": "liveness"], ["path": "/readyz", "summary": "readiness"],
               ["path": "/status", "summary": "runtime status"], ["path": "/metrics", "summary": "Prometheus metrics"]]
        router.get("/") { _, _ in jsonResponse(IndexBody(service: status.snapshot.service, routes: index)) }
        for route in routes {
            let names = parameterNames(route.path)
            router.get(RouterPath(hummingbirdPath(route.path))) { request, context in
                var parameters: [String: String] = [:]
                for name in names { parameters[name] = context.parameters.get(name) }
                var query: [String: String] = [:]
                for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
                do {
                    let answer = try route.respond(AdminRequest(parameters: parameters, query: query))
                    return Response(status: .init(code: answer.status), headers: [.contentType: answer.contentType],
                                    body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
                } catch {
                    return jsonResponse(["error": "\(error)"], status: .internalServerError)
                }
            }
        }
        return Application(router: router,
                           configuration: ApplicationConfiguration(address: .hostname(host, port: port),
                                                                   serverName: status.snapshot.service),
                           logger: logger)
    }

    /// `/entities/{id}` -> `/entities/:id`
    static func hummingbirdPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
    }

    static func parameterNames(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }
}

private struct ReadyBody: Encodable {
    var ready: Bool
    var status: RuntimeStatus.Snapshot
}

private struct IndexBody: Encodable {
    var service: String
    var routes: [[String: String]]
}

private func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return Response(status: status, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
