import Foundation

/// A service a unit offers through the hub (Article 10): calls to it go through
/// `/v1/services/{unit}/{name}/…`, authenticated, authorised by grants and logged.
public struct Service: Sendable, Hashable, Codable {
    public var ref: ServiceRef
    /// Where the hub forwards calls (the provider's base URL).
    public var baseURL: String
    public var serviceProtocol: ServiceProtocol
    /// How long the hub waits for the provider, in seconds.
    public var timeout: TimeInterval
    /// The app that provides the service (and may introspect session tokens for it); nil: any app of the unit.
    public var providerAppID: String?
    /// The mapping (`mappings/<name>.mapping.yaml`) that converts a consumer's request body into what
    /// the provider takes; nil: the body passes unchanged.
    public var requestMapping: String?
    /// The mapping that converts the provider's successful (2xx) answer back for the consumer.
    public var responseMapping: String?
    public var createdAt: Date

    public init(
        ref: ServiceRef, baseURL: String, serviceProtocol: ServiceProtocol = .rest, timeout: TimeInterval = 30, providerAppID: String? = nil,
        requestMapping: String? = nil, responseMapping: String? = nil, createdAt: Date
    ) {
        self.ref = ref
        self.baseURL = baseURL
        self.serviceProtocol = serviceProtocol
        self.timeout = timeout
        self.providerAppID = providerAppID
        self.requestMapping = requestMapping
        self.responseMapping = responseMapping
        self.createdAt = createdAt
    }
}

/// A service's name: the unit that offers it and a short name (`000.00.05.H24/tra-cuu-ho-so`).
public struct ServiceRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public var unit: UnitCode
    public var name: String

    public init(unit: UnitCode, name: String) {
        self.unit = unit
        self.name = name
    }

    /// Parses `<unit code>/<name>`; the name is 1–64 lowercase letters, digits, `-`, `_` or `.`.
    ///
    /// - Throws: `request.invalid_field` naming the field.
    public init(parsing text: String, field: String = "service") throws(LGSPError) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let unit = UnitCode(lenient: parts[0]) else {
            throw LGSPError(.invalidField, "'\(text)' is not a service reference <unit code>/<service name>", field: field)
        }
        try self.init(unit: unit, validName: parts[1], field: field)
    }

    public init(unit: UnitCode, validName name: String, field: String = "service") throws(LGSPError) {
        guard (1...64).contains(name.utf8.count),
            name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E })
        else {
            throw LGSPError(.invalidField, "service name '\(name)' must be 1-64 lowercase letters, digits, '-', '_' or '.'", field: field)
        }
        self.init(unit: unit, name: name)
    }

    public var description: String { "\(unit.rawValue)/\(name)" }
}

/// How a provider is called.
public enum ServiceProtocol: String, Sendable, Codable, CaseIterable {
    case rest
    case soap
}
