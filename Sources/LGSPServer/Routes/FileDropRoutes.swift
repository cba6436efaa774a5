import Foundation
import Hummingbird
import LGSPAPI
import LGSPAdapters
import LGSPCore

/// `POST /v1/admin/apps/{accessKey}/file-drop`: creates a unit app's file-drop folders under
/// `fileDrop.root` (administrators only; idempotent: existing folders and files are kept).
struct FileDropRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.post("/v1/admin/apps/{accessKey}/file-drop") { request, context in
            let caller = try await hub.authenticated(request)
            try caller.requireAdmin(for: "creating file-drop folders")
            let accessKey = context.parameters.get("accessKey") ?? ""
            guard let app = try await hub.store.app(accessKey: accessKey) else {
                throw LGSPError(.unknownApp, "there is no app with access key \(accessKey)")
            }
            guard app.role == .app, app.unit != nil else {
                throw LGSPError(.invalidField, "app \(accessKey) is an administrator credential; only a unit's app can use file-drop folders", field: "accessKey")
            }
            let root = hub.configuration.fileDrop.root
            let paths = try FileDropFolders.create(root: root, accessKey: accessKey)
            hub.logger.notice("file-drop folders created", metadata: ["app": "\(accessKey)", "by": "\(caller.app.accessKey)"])
            return try JSONBody.response(
                FileDropFoldersResponse(
                    accessKey: accessKey, folder: root + "/" + accessKey, inbox: paths[0], outbox: paths[1], sent: paths[2], error: paths[3],
                    done: paths[4]))
        }
    }
}
