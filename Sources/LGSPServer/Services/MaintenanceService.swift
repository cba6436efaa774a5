import Foundation
import LGSPCore
import Logging
import ServiceLifecycle

/// Runs the exchange's time-driven work (`Exchange.runMaintenance`) every interval until shutdown:
/// not-before releases, deadline and upload-window expiry, purges left over after a crash.
///
/// With several nodes on one store, only the node holding the `maintenance` lease runs the pass
/// (another takes over when that node's lease lapses); the pass's writes are compare-and-set anyway.
struct MaintenanceService: ServiceLifecycle.Service {
    let exchange: Exchange
    let interval: TimeInterval
    let logger: Logger
    var leases: TaskLeases? = nil

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if let leases, await !leases.hold("maintenance") {
                    try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                    continue
                }
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
