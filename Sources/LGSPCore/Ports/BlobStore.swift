import NIOCore

import Foundation

/// Storage of packet content, encrypted with the packet's own key.
///
/// Contract (checked by `BlobStoreConformance` in LGSPTesting for every implementation):
/// - `append` stores bytes at `offset`, which must equal `length(of:)` (or 0, which restarts the
///   content); it keeps every byte received even if the body stream fails half-way, so an
///   interrupted upload resumes at `length(of:)`. With `sync` it returns only once the bytes are durable.
/// - `read` yields exactly the plaintext bytes of `range`, in order; it throws
///   `exchange.content_purged` if the content is gone and `server.storage_failure` if it was altered.
/// - Nothing is ever written in clear; `delete` removes every stored byte and is idempotent.
public protocol BlobStore: Sendable {
    /// How many plaintext bytes are stored for the packet (0 if none).
    func length(of id: PacketID, key: ContentKey) async throws -> Int64

    /// Appends the body's bytes at `offset` and returns the new length.
    func append<Body: AsyncSequence & Sendable>(
        to id: PacketID, key: ContentKey, at offset: Int64, body: Body, sync: Bool
    ) async throws -> Int64 where Body.Element == ByteBuffer

    /// Streams the plaintext of `range` to `consume`, one buffer at a time, awaiting each.
    func read(
        _ id: PacketID, key: ContentKey, range: Range<Int64>, consume: (ByteBuffer) async throws -> Void
    ) async throws

    /// Removes the packet's content.
    func delete(_ id: PacketID) async throws

    /// Checks that the store can be written now (for `/readyz`); throws the reason it cannot
    /// (`server.storage_failure`, or `server.storage_*` for an object store).
    func ping() async throws
}
