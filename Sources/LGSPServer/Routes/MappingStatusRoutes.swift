import Foundation
import Hummingbird
import LGSPAPI
import LGSPCore
import LGSPTransform

/// `GET /v1/admin/mappings`: the working mapping set and, when the folders changed but could not be
/// loaded, the problems (file, line, rule) that keep the previous set in use.
struct MappingStatusRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.get("/v1/admin/mappings") { request, _ in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "reading the mapping status")
            return try JSONBody.response(Self.body(hub.mappings.status))
        }
    }

    static func body(_ status: MappingConverter.Status) -> MappingStatusResponse {
        let set = status.set
        return MappingStatusResponse(
            directory: status.root.path, loadedAt: status.loadedAt, checkedAt: status.checkedAt, mappings: set.mappings.keys.sorted(),
            dataTypes: set.dataTypes.entries.values.sorted { $0.dataType < $1.dataType }.map { entry in
                DataTypeFormatsBody(
                    dataType: entry.dataType.rawValue, format: entry.format.rawValue,
                    conversions: Dictionary(uniqueKeysWithValues: entry.conversions.map { ($0.key.rawValue, $0.value) }))
            },
            catalogues: set.library.catalogues.catalogues.keys.sorted(), failedAt: status.failedAt,
            problems: (status.failure?.problems ?? []).map { problem in
                MappingProblemBody(
                    code: problem.code.rawValue, message: problem.message, file: problem.details["mapping"],
                    line: problem.details["line"].flatMap { Int($0) }, rule: problem.details["rule"])
            })
    }
}
