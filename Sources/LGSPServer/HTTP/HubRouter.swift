import HTTPTypes
import Hummingbird
import Synchronization

/// The hub's router: Hummingbird's, plus a record of every (method, path) so that a request for a
/// known path with another method gets `405 request.method_not_allowed` and an `Allow` header
/// instead of a 404.
struct HubRouter {
    let router: Router<HubRequestContext>
    let table: RouteTable

    typealias Handler = @Sendable (Request, HubRequestContext) async throws -> Response

    func get(_ path: String, _ handler: @escaping Handler) { add(.get, path, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { add(.post, path, handler) }
    func put(_ path: String, _ handler: @escaping Handler) { add(.put, path, handler) }
    func head(_ path: String, _ handler: @escaping Handler) { add(.head, path, handler) }

    func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        table.record(method, path)
        router.on(RouterPath(path), method: method, use: handler)
    }
}

/// Every registered (method, path pattern); `{name}` segments match anything.
final class RouteTable: Sendable {
    private let routes = Mutex<[(method: HTTPRequest.Method, segments: [Substring])]>([])

    func record(_ method: HTTPRequest.Method, _ path: String) {
        routes.withLock { $0.append((method, path.split(separator: "/"))) }
    }

    /// The methods allowed on `path` (empty if no route has this path).
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        return routes.withLock { routes in
            routes.filter { route in
                if route.segments.last == "**" {
                    return segments.count >= route.segments.count - 1
                        && zip(route.segments.dropLast(), segments).allSatisfy { pattern, actual in pattern.hasPrefix("{") || pattern == actual }
                }
                return route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { pattern, actual in pattern.hasPrefix("{") || pattern == actual }
            }.map(\.method.rawValue)
        }
    }
}
