import Foundation
import LGSPAPI

extension LGSPClient {
    /// Creates an app's file-drop folders (`inbox/ outbox/ sent/ error/ done/`) under the hub's
    /// `fileDrop.root` (administrator credential; idempotent).
    public func createFileDropFolders(accessKey: String) async throws -> FileDropFoldersResponse {
        try await json(.POST, "/v1/admin/apps/\(accessKey)/file-drop")
    }
}
