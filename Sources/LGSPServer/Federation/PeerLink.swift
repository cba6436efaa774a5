import AsyncHTTPClient
import Foundation
import LGSPAPI
import LGSPAuth
import LGSPClient
import LGSPCore
import Logging

/// One store-and-forward link to a peer hub: hands queued deliveries off in priority order, then
/// age, one packet at a time (so a flash packet that arrives meanwhile goes next), and sends the
/// peer the states of the packets it handed here. Failures back off exponentially with jitter; after
/// `breakerThreshold` failures in a row the circuit breaker opens and one probe tries again later.
/// Local traffic never waits on it: it runs in its own task and only reads and moves its own deliveries.
struct PeerLink: Sendable {
    let peer: PeerConfiguration
    let configuration: FederationConfiguration
    let exchange: Exchange
    let store: any HubStore
    let links: any PeerLinkStore
    let client: LGSPClient
    let monitor: PeerLinkMonitor
    let jwks: JWKSCache
    let logger: Logger

    /// A refusal the peer will repeat however often it is asked: the deliveries end `undeliverable`.
    struct PermanentRefusal: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Hand-off

    func runHandOffs() async {
        var breaker = CircuitBreaker(threshold: configuration.breakerThreshold, openFor: configuration.breakerOpenFor)
        while !Task.isCancelled {
            let waiting: [Delivery]
            do {
                monitor.queue(peer.name, try await links.queueFigures(peer: peer.name), now: exchange.clock.now())
                waiting = try await links.handOffQueue(peer: peer.name, limit: 100)
            } catch {
                logger.error("peer queue unreadable", metadata: ["peer": "\(peer.name)", "error": "\(error)"])
                await pause(configuration.pollInterval)
                continue
            }
            guard let first = waiting.first else {
                await pause(configuration.pollInterval)
                continue
            }
            let now = exchange.clock.now()
            guard breaker.allowsRequest(at: now) else {
                await pause(min(configuration.pollInterval * 5, max(0.05, breaker.retryAt.map { $0.timeIntervalSince(now) } ?? configuration.pollInterval)))
                continue
            }
            let recipients = waiting.filter { $0.packetID == first.packetID }.map(\.recipient)
            do {
                try await handOff(first.packetID, recipients: recipients)
                breaker.recordSuccess()
                monitor.update(peer.name) {
                    $0.state = "up"
                    $0.breaker = breaker.state
                    $0.consecutiveFailures = 0
                    $0.lastSuccessAt = now
                    $0.handedOff += 1
                }
            } catch let refusal as PermanentRefusal {
                // The peer answered: the link works, the packet cannot go there.
                breaker.recordSuccess()
                logger.notice("peer refused packet", metadata: ["peer": "\(peer.name)", "packet": "\(first.packetID)", "reason": "\(refusal)"])
                do {
                    try await exchange.refuseHandOff(first.packetID, peer: peer.name, reason: refusal.description)
                } catch {
                    logger.error("recording a refusal failed", metadata: ["peer": "\(peer.name)", "error": "\(error)"])
                }
                monitor.update(peer.name) {
                    $0.state = "up"
                    $0.breaker = breaker.state
                    $0.lastError = refusal.description
                }
            } catch {
                breaker.recordFailure(at: exchange.clock.now())
                let failures = breaker.consecutiveFailures
                monitor.update(peer.name) {
                    $0.state = "down"
                    $0.breaker = breaker.state
                    $0.consecutiveFailures = failures
                    $0.lastError = Self.describe(error)
                }
                logger.warning("hand-off failed", metadata: ["peer": "\(peer.name)", "packet": "\(first.packetID)", "failures": "\(failures)", "error": "\(Self.describe(error))"])
                await pause(configuration.backoff.delay(afterFailures: failures))
            }
        }
    }

    /// Offers the packet, streams its content if the peer asks for it, and records the signed receipt.
    func handOff(_ id: PacketID, recipients: [UnitCode]) async throws {
        let record = try await exchange.record(id)
        let sourceApp = try await store.app(id: record.packet.sourceAppID)?.accessKey ?? record.packet.sourceAppID
        let offer = HandOffOffer(packet: record.packet, recipients: recipients, sourceApp: sourceApp)
        var answer = try await offerOnce(offer)
        if answer.state == HandOffAnswer.awaitingContent {
            if !answer.refused.isEmpty {
                try await exchange.recordHandOff(id, peer: peer.name, accepted: [], refused: answer.refused)
            }
            try await client.uploadHandOff(id, content: try await exchange.handOffContent(id))
            answer = try await offerOnce(offer)
        }
        guard answer.state == HandOffAnswer.held, let token = answer.receipt else {
            throw PeerLinkFailure(description: "the peer did not take the packet after its content was sent (state \(answer.state))")
        }
        let claims: HandOffReceiptClaims
        do {
            claims = try await HandOffReceiptVerifier.verify(token, jwks: try await jwks.keys(refresh: false), packet: record.packet)
        } catch {
            // The peer may have rotated its signing key since the keys were fetched.
            claims = try await HandOffReceiptVerifier.verify(token, jwks: try await jwks.keys(refresh: true), packet: record.packet)
        }
        try await links.recordReceipt(
            HandOffReceiptRecord(packetID: id, peer: peer.name, token: token, recipients: claims.recipients, at: exchange.clock.now()))
        try await exchange.recordHandOff(id, peer: peer.name, accepted: claims.recipients, refused: answer.refused)
    }

    /// One offer; a refusal the peer will repeat becomes `PermanentRefusal`, anything else a failure to retry.
    private func offerOnce(_ offer: HandOffOffer) async throws -> HandOffAnswer {
        do {
            return try await client.offerHandOff(offer)
        } catch LGSPClientError.problem(let status, let problem) where Self.isPermanent(status: status) {
            throw PermanentRefusal(description: "\(problem.code): \(problem.detail)")
        }
    }

    /// 4xx answers other than authentication, authorisation and throttling are final: the same offer gets the same answer.
    static func isPermanent(status: Int) -> Bool {
        (400..<500).contains(status) && ![401, 403, 408, 429].contains(status)
    }

    // MARK: Status back

    /// Sends the peer the states of the packets it handed here (the events of its app, after a durable cursor).
    func runStatusReports() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let sent = try await reportOnce()
                failures = 0
                monitor.update(peer.name) {
                    $0.statusReportsSent += sent
                    $0.statusError = nil
                }
                if sent == 0 { await pause(configuration.pollInterval) }
            } catch {
                failures += 1
                let failuresNow = failures
                monitor.update(peer.name) { $0.statusError = Self.describe(error) }
                logger.warning("status report failed", metadata: ["peer": "\(peer.name)", "failures": "\(failuresNow)", "error": "\(Self.describe(error))"])
                await pause(configuration.backoff.delay(afterFailures: failures))
            }
        }
    }

    /// One batch of status reports; returns how many were sent (0: nothing new).
    func reportOnce() async throws -> Int {
        guard let app = try await peerApp() else { return 0 }
        let cursor = try await links.statusCursor(peer: peer.name)
        let events = try await store.events(appID: app.id, after: cursor, limit: 200)
        guard let last = events.last?.sequence else { return 0 }
        let decoder = APICoding.makeDecoder()
        let reports = events.filter { $0.type == .packetStatus }.compactMap { event -> RemoteStatus? in
            guard let status = try? decoder.decode(EventPayload.Status.self, from: event.payload) else { return nil }
            return RemoteStatus(packetId: status.packetId, recipient: status.recipient, state: status.state, reason: status.reason, at: status.at)
        }
        if !reports.isEmpty { _ = try await client.reportStatus(reports) }
        try await links.setStatusCursor(peer: peer.name, to: last)
        return reports.count
    }

    /// The peer's app here (role `peer`, named after it).
    func peerApp() async throws -> App? {
        if let key = peer.inboundAccessKey { return try await store.app(accessKey: key) }
        return try await store.apps(unit: nil).first { $0.role == .peer && $0.name == peer.name }
    }

    // MARK: Support

    private func pause(_ seconds: TimeInterval) async {
        try? await Task.sleep(for: .milliseconds(Int(max(0.01, seconds) * 1000)))
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.count <= 500 ? text : String(text.prefix(499)) + "…"
    }
}

/// A hand-off that did not complete for a reason on the peer's side that may pass.
struct PeerLinkFailure: Error, CustomStringConvertible {
    var description: String
}

/// The peer's public keys, fetched once and again when a receipt does not verify.
actor JWKSCache {
    let client: LGSPClient
    private var cached: Data?

    init(client: LGSPClient) {
        self.client = client
    }

    func keys(refresh: Bool) async throws -> Data {
        if !refresh, let cached { return cached }
        let fetched = try await client.jwks()
        cached = fetched
        return fetched
    }
}
