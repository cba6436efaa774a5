import Foundation
import HTTPTypes
import Hummingbird
import LGSPAPI
import LGSPCore
import LGSPTransform
import NIOCore

/// The shared catalogues (danh mục dùng chung, Articles 2.13–2.14), published read-only so that
/// connected systems sync them instead of keeping their own: `GET /v1/catalogues` and
/// `GET /v1/catalogues/{name}` (JSON, or CSV with `Accept: text/csv` or `?format=csv`).
///
/// A catalogue's version is the SHA-256 of its file; it is the `ETag` (with `.csv` for the CSV
/// form), and a request whose `If-None-Match` holds it gets `304 Not Modified`. Any signed app may read.
struct CatalogueRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.get("/v1/catalogues") { request, _ in try await list(request) }
        router.get("/v1/catalogues/{name}") { request, context in try await show(request, name: context.parameters.get("name") ?? "") }
    }

    private func list(_ request: Request) async throws -> Response {
        _ = try await hub.authenticated(request)
        let set = hub.mappings.current
        let items = set.library.catalogues.catalogues.values.sorted { $0.name < $1.name }.map { Self.summary($0, set: set) }
        var response = try JSONBody.response(CatalogueListResponse(items: items))
        response.headers[.cacheControl] = "no-cache"
        return response
    }

    private func show(_ request: Request, name: String) async throws -> Response {
        _ = try await hub.authenticated(request)
        let set = hub.mappings.current
        guard let catalogue = set.library.catalogues[name] else {
            let known = set.library.catalogues.catalogues.keys.sorted()
            throw LGSPError(.unknownCatalogue, "there is no catalogue '\(name)'; the hub publishes \(known.isEmpty ? "none" : known.joined(separator: ", "))",
                details: ["catalogue": name])
        }
        let csv = try Self.wantsCSV(request)
        let tag = "\"\(catalogue.version)\(csv ? ".csv" : "")\""
        var headers: HTTPFields = [.eTag: tag, .cacheControl: "no-cache", .vary: "Accept"]
        if let match = request.headers[.ifNoneMatch], Self.matches(match, tag: tag) {
            return Response(status: .notModified, headers: headers, body: ResponseBody())
        }
        let data: Data
        if csv {
            headers[.contentType] = "text/csv; charset=utf-8; header=present"
            data = Data(catalogue.csv().utf8)
        } else {
            headers[.contentType] = "application/json; charset=utf-8"
            let items = catalogue.rows.map { Dictionary(uniqueKeysWithValues: zip(catalogue.columns, $0)) }
            data = try APICoding.makeEncoder().encode(CatalogueResponse(catalogue: Self.summary(catalogue, set: set), items: items))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func summary(_ catalogue: Catalogue, set: MappingSet) -> CatalogueSummary {
        let source = set.catalogueSources[catalogue.name]
        return CatalogueSummary(
            name: catalogue.name, version: catalogue.version, rows: catalogue.rows.count, columns: catalogue.columns,
            source: source?.source, licence: source?.licence)
    }

    /// CSV when `?format=csv`, or when `Accept` prefers `text/csv` to JSON; `?format` other than json or csv is refused.
    static func wantsCSV(_ request: Request) throws -> Bool {
        if let format = request.uri.queryParameters["format"] {
            switch format.lowercased() {
            case "csv": return true
            case "json": return false
            default: throw LGSPError(.invalidQuery, "format must be json or csv, not '\(format)'", field: "format")
            }
        }
        let accept = request.headers[.accept]?.lowercased() ?? ""
        guard let csv = accept.range(of: "text/csv") else { return false }
        // Whichever of the two the client lists first wins.
        if let json = accept.range(of: "application/json") { return csv.lowerBound < json.lowerBound }
        return true
    }

    /// RFC 9110 §13.1.2: `*`, or any listed entity tag equal to `tag` by weak comparison.
    static func matches(_ header: String, tag: String) -> Bool {
        header.split(separator: ",").contains { item in
            let value = item.trimmingCharacters(in: .whitespaces)
            return value == "*" || value == tag || value == "W/" + tag
        }
    }
}
