import Foundation

/// Nonces seen in signed requests, so that a captured request cannot be replayed within its window.
///
/// Contract (checked by `NonceStoreConformance` in LGSPTesting for every implementation):
/// - `remember` is atomic across every node sharing the store: of two calls with the same key id
///   and nonce before `until`, exactly one returns true.
/// - After `until` has passed and `forget(before:)` ran, the nonce may be used again.
public protocol NonceStore: Sendable {
    /// Records the nonce; false if it was already recorded and has not expired.
    func remember(keyID: String, nonce: String, until: Date) async throws -> Bool
    /// Drops nonces that expired before `date`.
    func forget(before date: Date) async throws
}
