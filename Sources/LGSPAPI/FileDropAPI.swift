/// `POST /v1/admin/apps/{accessKey}/file-drop` answer: the app's file-drop folders, created (or
/// already there). The hub scans them from then on and acts as the app for what they hold.
public struct FileDropFoldersResponse: Codable, Sendable, Hashable {
    public var accessKey: String
    /// `<root>/<accessKey>`: give the app's OS account access to this folder only.
    public var folder: String
    public var inbox: String
    public var outbox: String
    public var sent: String
    public var error: String
    public var done: String

    public init(accessKey: String, folder: String, inbox: String, outbox: String, sent: String, error: String, done: String) {
        self.accessKey = accessKey
        self.folder = folder
        self.inbox = inbox
        self.outbox = outbox
        self.sent = sent
        self.error = error
        self.done = done
    }
}
