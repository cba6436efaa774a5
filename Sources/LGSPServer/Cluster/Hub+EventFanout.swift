import Foundation
import LGSPCore
import LGSPStorage
import Logging

extension Hub {
    /// How this node hears of events stored by the other nodes: `LISTEN/NOTIFY` when the nodes share
    /// a PostgreSQL database; nothing to hear otherwise (SQLite: one node, or processes of one machine
    /// that find each other's events at their heartbeat poll).
    static func makeEventFanout(store: any HubStore, configuration: HubConfiguration, logger: Logger) -> any EventFanout {
        if let postgres = store as? PostgresStore {
            return PostgresEventFanout(store: postgres, node: configuration.nodeName, logger: logger)
        }
        return LocalEventFanout()
    }
}
