import Foundation
import LGSPCore
import LGSPTransform
import ServiceLifecycle

/// Looks at `mappings/` and `schemas/` every interval and reloads them when they changed
/// (`MappingConverter.reloadIfChanged`): a set that loads and passes its tests replaces the working
/// one; otherwise the working set stays and the problems are logged and shown by `GET /v1/admin/mappings`.
struct MappingReloadService: ServiceLifecycle.Service {
    let mappings: MappingConverter
    /// Seconds between looks; 0 or less: never reload.
    let interval: TimeInterval
    let clock: any HubClock

    func run() async throws {
        // A service that returns would stop the whole hub: without reloading, wait for shutdown.
        guard interval > 0 else { return try await gracefulShutdown() }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                mappings.reloadIfChanged(now: clock.now())
            }
        }
    }
}
