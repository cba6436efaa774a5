import Foundation

/// The record of calls made through the hub to units' services (Article 14.5): who called what,
/// the outcome, sizes and duration — never the bodies.
public protocol ServiceCallLog: Sendable {
    func record(_ call: ServiceCall) async throws
    /// Calls since `date`, oldest first.
    func calls(since date: Date, limit: Int) async throws -> [ServiceCall]
}

/// One call to a service through the hub.
public struct ServiceCall: Sendable, Hashable, Codable {
    public var at: Date
    /// The consumer app's access key.
    public var consumerApp: String
    public var consumerUnit: UnitCode
    public var service: ServiceRef
    public var method: String
    /// The path below the service (`/ho-so/123`), without the query.
    public var path: String
    /// The HTTP status returned to the consumer.
    public var status: Int
    public var requestBytes: Int64
    public var responseBytes: Int64
    public var duration: TimeInterval
    /// The hub's error code when the hub refused or failed the call.
    public var errorCode: String?

    public init(
        at: Date, consumerApp: String, consumerUnit: UnitCode, service: ServiceRef, method: String, path: String, status: Int,
        requestBytes: Int64, responseBytes: Int64, duration: TimeInterval, errorCode: String?
    ) {
        self.at = at
        self.consumerApp = consumerApp
        self.consumerUnit = consumerUnit
        self.service = service
        self.method = method
        self.path = path
        self.status = status
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.duration = duration
        self.errorCode = errorCode
    }
}
