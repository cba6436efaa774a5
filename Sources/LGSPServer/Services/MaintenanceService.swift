import Foundation
import LGSPCore
import Logging
import ServiceLifecycle

/// Runs the exchange's time-driven work (`Exchange.runMaintenance`) every interval until shutdown:
/// not-before releases, deadline and upload-window expiry, purges left over after a crash.
struct MaintenanceService: ServiceLifecycle.Service {
    let exchange: Exchange
    let interval: TimeInterval
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await exchange.runMaintenance()
                    if !report.isEmpty {
                        logger.info("maintenance", metadata: [
                            "ready": "\(report.madeReady)", "expired": "\(report.expired)", "abandoned": "\(report.abandoned)",
                            "purged": "\(report.purged)",
                        ])
                    }
                } catch {
                    logger.error("maintenance pass failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            }
        }
    }
}
