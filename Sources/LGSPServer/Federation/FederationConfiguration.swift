import Foundation
import LGSPCore
import Yams

/// The federation file (`federation.file`, YAML): this hub's role and its peers.
///
/// ```yaml
/// role: provincial            # or national (default: provincial)
/// link:                       # optional tuning, defaults shown
///   pollSeconds: 0.2          # how often an idle link looks for work
///   backoffBaseSeconds: 0.5   # first retry delay (doubling, jittered)
///   backoffMaxSeconds: 30
///   breakerThreshold: 5       # consecutive failures that open the circuit breaker
///   breakerOpenSeconds: 10    # how long it stays open before one probe
/// peers:
///   - name: ngsp              # the peer's name; also the name of its app here
///     url: https://ngsp.example.vn:8443
///     profile: lgsp           # the only profile so far
///     accessKey: LGSP…        # our credential at the peer …
///     secretKeyFile: /etc/lgsp/ngsp.secret   # … its secret: secretKeyFile, secretKeyEnv or secretKey
///     inbound:                # the peer's credential here (its app, role peer, created at start)
///       accessKey: LGSP…
///       secretKeyFile: /etc/lgsp/ngsp-inbound.secret
///     serves: [not-local]     # suffix:H26, prefix:000.00., not-local
///     tls:                    # optional: CA to trust, client certificate for mutual TLS
///       ca: /etc/lgsp/ngsp-ca.pem
///       certificate: /etc/lgsp/client.pem
///       key: /etc/lgsp/client.key
/// ```
/// Secrets are read from files or the environment and never logged (`description` redacts them).
public struct FederationConfiguration: Sendable {
    public var role: HubRole
    public var peers: [PeerConfiguration]
    public var pollInterval: TimeInterval = 0.2
    public var backoff = LinkBackoff(base: 0.5, maximum: 30)
    public var breakerThreshold = 5
    public var breakerOpenFor: TimeInterval = 10

    /// The routing table the exchange uses.
    public var router: PeerRouter {
        PeerRouter(role: role, peers: peers.map { PeerRouter.Peer(name: $0.name, serves: $0.serves) })
    }

    /// Reads and checks the file; throws `request.invalid_field` naming the member at fault.
    public static func load(file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FederationConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw LGSPError(.invalidField, "federation file \(file) cannot be read: \(error.localizedDescription)", field: "federation.file")
        }
        let raw: RawFile
        do {
            raw = try YAMLDecoder().decode(RawFile.self, from: text)
        } catch {
            throw LGSPError(.invalidField, "federation file \(file) is not valid: \(error)", field: "federation.file")
        }
        let base = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var configuration = FederationConfiguration(role: .provincial, peers: [])
        if let role = raw.role {
            guard let parsed = HubRole(rawValue: role) else {
                throw LGSPError(.invalidField, "role '\(role)' must be provincial or national", field: "role")
            }
            configuration.role = parsed
        }
        if let link = raw.link {
            configuration.pollInterval = link.pollSeconds ?? configuration.pollInterval
            configuration.backoff = LinkBackoff(base: link.backoffBaseSeconds ?? 0.5, maximum: link.backoffMaxSeconds ?? 30)
            configuration.breakerThreshold = link.breakerThreshold ?? configuration.breakerThreshold
            configuration.breakerOpenFor = link.breakerOpenSeconds ?? configuration.breakerOpenFor
        }
        var names = Set<String>()
        for (index, peer) in (raw.peers ?? []).enumerated() {
            let field = "peers[\(index)]"
            guard !peer.name.isEmpty, peer.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                throw LGSPError(.invalidField, "\(field).name '\(peer.name)' must be letters, digits, '-', '_' or '.'", field: "\(field).name")
            }
            guard names.insert(peer.name).inserted else {
                throw LGSPError(.invalidField, "peer name '\(peer.name)' appears twice", field: "\(field).name")
            }
            guard let url = URL(string: peer.url), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw LGSPError(.invalidField, "\(field).url '\(peer.url)' is not an http(s) URL", field: "\(field).url")
            }
            guard (peer.profile ?? "lgsp") == "lgsp" else {
                throw LGSPError(.invalidField, "\(field).profile '\(peer.profile ?? "")' is not supported (only lgsp)", field: "\(field).profile")
            }
            let serves = try (peer.serves ?? []).map { text throws(LGSPError) in try UnitServingRule(text) }
            guard !serves.isEmpty else {
                throw LGSPError(.invalidField, "\(field).serves must name what the peer serves (suffix:H26, prefix:…, not-local)", field: "\(field).serves")
            }
            func path(_ value: String?) -> String? { value.map { $0.hasPrefix("/") ? $0 : base + "/" + $0 } }
            configuration.peers.append(
                PeerConfiguration(
                    name: peer.name, url: peer.url.hasSuffix("/") ? String(peer.url.dropLast()) : peer.url, serves: serves,
                    accessKey: peer.accessKey,
                    secretKey: try secret(peer.secretKey, file: path(peer.secretKeyFile), env: peer.secretKeyEnv, environment: environment, field: "\(field).secretKey"),
                    inboundAccessKey: peer.inbound?.accessKey,
                    inboundSecretKey: try peer.inbound.map {
                        try secret($0.secretKey, file: path($0.secretKeyFile), env: $0.secretKeyEnv, environment: environment, field: "\(field).inbound.secretKey")
                    },
                    tlsCA: path(peer.tls?.ca), tlsCertificate: path(peer.tls?.certificate), tlsKey: path(peer.tls?.key)))
        }
        return configuration
    }

    private static func secret(_ inline: String?, file: String?, env: String?, environment: [String: String], field: String) throws -> String {
        if let file {
            do {
                return try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw LGSPError(.invalidField, "\(field): file \(file) cannot be read", field: field)
            }
        }
        if let env {
            guard let value = environment[env], !value.isEmpty else {
                throw LGSPError(.invalidField, "\(field): environment variable \(env) is not set", field: field)
            }
            return value
        }
        guard let inline, !inline.isEmpty else {
            throw LGSPError(.missingField, "\(field) is missing: give secretKeyFile, secretKeyEnv or secretKey", field: field)
        }
        return inline
    }

    private struct RawFile: Decodable {
        var role: String?
        var link: RawLink?
        var peers: [RawPeer]?
    }

    private struct RawLink: Decodable {
        var pollSeconds: Double?
        var backoffBaseSeconds: Double?
        var backoffMaxSeconds: Double?
        var breakerThreshold: Int?
        var breakerOpenSeconds: Double?
    }

    private struct RawPeer: Decodable {
        var name: String
        var url: String
        var profile: String?
        var accessKey: String
        var secretKey: String?
        var secretKeyFile: String?
        var secretKeyEnv: String?
        var inbound: RawInbound?
        var serves: [String]?
        var tls: RawTLS?
    }

    private struct RawInbound: Decodable {
        var accessKey: String
        var secretKey: String?
        var secretKeyFile: String?
        var secretKeyEnv: String?
    }

    private struct RawTLS: Decodable {
        var ca: String?
        var certificate: String?
        var key: String?
    }
}

/// One peer hub: where it is, how we sign there, how it signs here, what it serves.
public struct PeerConfiguration: Sendable, CustomStringConvertible {
    public var name: String
    public var url: String
    public var serves: [UnitServingRule]
    /// Our credential at the peer.
    public var accessKey: String
    public var secretKey: String
    /// The peer's credential here (its app with role `peer`); nil: the peer's app is managed by hand.
    public var inboundAccessKey: String?
    public var inboundSecretKey: String?
    public var tlsCA: String?
    public var tlsCertificate: String?
    public var tlsKey: String?

    public var description: String {
        "PeerConfiguration(name: \(name), url: \(url), serves: \(serves), accessKey: \(accessKey), secretKey: <redacted>)"
    }
}
