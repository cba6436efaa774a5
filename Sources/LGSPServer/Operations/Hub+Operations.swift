import Foundation
import LGSPCore
import LGSPStorage
import Logging

extension Hub {
    /// The maintenance and incident use cases over the hub's database. A database that does not keep
    /// them itself (a backend without `OperationsStore`) gets them in `operations.sqlite` in the data folder.
    static func makeOperations(
        store: any HubStore, folder: DataFolder, masterKey: MasterKey, configuration: HubConfiguration, notifier: any EventNotifier,
        audit: AuditRecorder, clock: any HubClock, logger: Logger
    ) throws -> OperationsService {
        let operations: any OperationsStore
        if let own = store as? any OperationsStore {
            operations = own
        } else {
            logger.notice("this database keeps no maintenance windows or incidents; they are kept in operations.sqlite of the data folder")
            operations = try SQLiteStore(path: folder.path + "/operations.sqlite", masterKey: masterKey, synchronous: configuration.sqliteSynchronous)
        }
        return OperationsService(store: operations, events: store, directory: store, notifier: notifier, audit: audit, clock: clock, logger: logger)
    }
}
