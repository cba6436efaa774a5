import Foundation
import LGSPCore
import PostgresNIO

/// Figures read when `/metrics` is scraped, and the readiness probe's trivial query.
extension PostgresStore: HubStore {
    public func figures() async throws -> StoreFigures {
        var figures = StoreFigures()
        for row in try await rows("SELECT state, count(*) AS n FROM packets GROUP BY state") {
            figures.packetsByState[try row.string("state"), default: 0] += try row.int("n")
        }
        for row in try await rows("SELECT state, count(*) AS n FROM deliveries GROUP BY state") {
            figures.deliveriesByState[try row.string("state"), default: 0] += try row.int("n")
        }
        if let row = try await rows(
            "SELECT count(*) AS n, min(updated_at) AS oldest FROM deliveries WHERE state IN ('uploaded', 'ready', 'notified')"
        ).first {
            figures.queueDepth = try row.int("n")
            figures.oldestWaitingSince = try row.optionalDate("oldest")
        }
        figures.openConnections = try await rows("SELECT count(*) AS n FROM connections WHERE disconnected_at IS NULL").first?.int("n") ?? 0
        figures.deadLetters = try await rows("SELECT count(*) AS n FROM webhook_dead_letters").first?.int("n") ?? 0
        return figures
    }

    public func ping() async throws {
        try await run("SELECT 1")
    }
}
