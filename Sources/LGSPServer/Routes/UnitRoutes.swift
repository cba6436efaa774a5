import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore

/// The smart directory (Article 5.7) for every authenticated app — search and look up units — and
/// the reorganisations of units (Article 7) for administrators.
struct UnitRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.get("/v1/units") { request, _ in
            _ = try await hub.authenticated(request)
            let query = request.uri.queryParameters
            guard let text = query["q"] else {
                throw LGSPError(.invalidQuery, "give the search text in q: a name, an abbreviation or a unit code", field: "q")
            }
            let limit = try PacketRoutes.intQuery(query["limit"], name: "limit", default: 20, range: 1...DirectoryService.maxSearchLimit)
            let offset = try PacketRoutes.intQuery(query["offset"], name: "offset", default: 0, range: 0...Int(Int32.max))
            let page = try await hub.directory.search(String(text), limit: limit, offset: offset)
            let items = page.items.map { UnitSearchItem(unit: UnitBody($0.unit), score: $0.score, match: $0.tier) }
            return try JSONBody.response(UnitSearchResponse(items: items, total: page.total, next: page.nextOffset))
        }
        router.get("/v1/units/{code}") { request, context in
            _ = try await hub.authenticated(request)
            return try JSONBody.response(UnitBody(try await hub.directory.unit(context.parameters.get("code") ?? "")))
        }
        router.post("/v1/admin/units/{code}/rename") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(RenameUnitRequest.self, request)
            let unit = try await hub.directory.renameUnit(code: context.parameters.get("code") ?? "", name: body.name, by: caller)
            return try JSONBody.response(UnitBody(unit))
        }
        router.post("/v1/admin/units/{code}/replace") { request, context in
            let (caller, body) = try await hub.authenticatedJSON(ReplaceUnitRequest.self, request)
            try caller.requireAdmin(for: "replacing a unit")  // before the body's own checks
            let unit = try await hub.directory.replaceUnit(
                code: context.parameters.get("code") ?? "", by: body.by, reason: try body.parsedReason(), effective: try body.parsedEffective(),
                by: caller)
            return try JSONBody.response(UnitBody(unit))
        }
    }
}
