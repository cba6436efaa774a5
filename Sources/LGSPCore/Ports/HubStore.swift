/// Everything a hub keeps in its database, as one value: the directory, packets and events, presence,
/// nonces, signing keys, webhooks, the service-call log, delivery traces, report aggregates and the
/// SSO's accounts. Optional capabilities a backend may add are asked for with a cast:
/// `OperationsStore`, `ClusterStore`, `PeerLinkStore`.
///
/// Contract: each port's own contract (checked by its conformance suite in LGSPTesting), plus:
/// - Every node of a hub shares one store; what one node writes the others read on their next call.
/// - `figures` reads counts across every node sharing the store (one consistent snapshot is not required).
/// - `ping` runs a trivial query and throws when the database does not answer.
///
/// Implementations: `SQLiteStore` (the embedded default) and `PostgresStore` (several nodes), both in LGSPStorage.
public protocol HubStore: DirectoryStore & PacketStore & PresenceStore & NonceStore & SigningKeyStore & WebhookStore
    & ServiceCallLog & DeliveryTraceStore & ReportStore & AccountStore
{
    /// What the exchange holds right now (read when `/metrics` is scraped).
    func figures() async throws -> StoreFigures
    /// Runs a trivial query: the database answers (the readiness probe).
    func ping() async throws
}
