import Foundation
import LGSPCore
import Logging
import ServiceLifecycle
import Synchronization

/// The file-drop adapter's transport: every `pollInterval` it scans each app folder under the root
/// (`<root>/<accessKey>/`), completes what a crash interrupted, sends what the app dropped into
/// `inbox/`, writes its deliveries into `outbox/` and acknowledges those it took.
///
/// The folder is the app's identity: the hub acts as the app whose access key names the folder
/// (an active unit app; other folders are skipped with a warning), so the operator must give each
/// app's OS account access to its own folder only. While its folder is watched the app counts as
/// online (presence is touched at most every 10 seconds), so the offline limit does not give up on
/// its deliveries. Apps are scanned one after another, files in name order.
public struct FileDropService: ServiceLifecycle.Service {
    public let exchange: Exchange
    public let configuration: FileDropConfiguration
    let logger: Logger
    private let touched = PresenceThrottle()

    public init(exchange: Exchange, configuration: FileDropConfiguration, logger: Logger) {
        self.exchange = exchange
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        guard configuration.enabled else { return }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await scanOnce()
                try await Task.sleep(for: .milliseconds(Int(max(0.05, configuration.pollInterval) * 1000)))
            }
        }
    }

    /// One pass over every app folder; failures are logged and retried on the next pass.
    public func scanOnce() async {
        let root: DirectoryHandle
        do {
            root = try DirectoryHandle.open(configuration.root, create: true)
        } catch {
            logger.error("file-drop root cannot be opened", metadata: ["root": "\(configuration.root)", "error": "\(error)"])
            return
        }
        let names = (try? root.names()) ?? []
        for accessKey in names.sorted() where FileDropFolder.isAppFolderName(accessKey) && root.status(accessKey)?.kind == .directory {
            if Task.isCancelled { return }
            do {
                guard let caller = try await caller(accessKey) else { continue }
                let folder = try FileDropFolder.open(root: root, accessKey: accessKey)
                await touch(caller.app)
                _ = try await FileDropPickup(exchange: exchange, configuration: configuration, logger: logger).run(folder, caller: caller)
                _ = try await FileDropDelivery(exchange: exchange, logger: logger).run(folder, caller: caller)
            } catch {
                logger.warning("file-drop scan of an app folder failed", metadata: ["app": "\(accessKey)", "error": "\(error)"])
            }
        }
    }

    /// The app named by the folder, as a caller (the way `RequestAuthenticator` builds one), or nil
    /// if it is unknown, disabled or an administrator.
    private func caller(_ accessKey: String) async throws -> Caller? {
        guard let app = try await exchange.directory.app(accessKey: accessKey), app.role == .app, app.status == .active else {
            logger.debug("file-drop folder of no active unit app skipped", metadata: ["folder": "\(accessKey)"])
            return nil
        }
        return Caller(app: app)
    }

    private func touch(_ app: App) async {
        let now = Date()
        if touched.shouldTouch(app.id, at: now), let presence = exchange.presence { try? await presence.touch(appID: app.id, at: now) }
    }
}

/// When each app's presence was last touched by the adapter.
final class PresenceThrottle: Sendable {
    private let seen = Mutex<[String: Date]>([:])

    func shouldTouch(_ appID: String, at now: Date) -> Bool {
        seen.withLock { seen in
            if let last = seen[appID], now.timeIntervalSince(last) < 10 { return false }
            seen[appID] = now
            return true
        }
    }
}
