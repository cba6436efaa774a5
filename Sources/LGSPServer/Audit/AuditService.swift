import LGSPCore
import ServiceLifecycle

/// Runs the audit recorder's flushing loop; on graceful shutdown it writes what is queued and a
/// final signed checkpoint.
struct AuditService: ServiceLifecycle.Service {
    let recorder: AuditRecorder

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await recorder.run()
        }
    }
}
