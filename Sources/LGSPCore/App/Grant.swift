import Foundation

/// A permission given to an app (quyền): to send packets (of a data type, or all) to the units a
/// pattern covers, or to call one service of another unit.
public struct Grant: Sendable, Hashable, Codable {
    public var id: String
    /// The app holding the permission.
    public var appID: String
    public var target: Target
    public var createdAt: Date

    /// What a grant allows.
    public enum Target: Sendable, Hashable, Codable {
        /// Sending packets to the units `to` covers; `dataType` nil means every data type.
        case send(to: UnitPattern, dataType: DataType?)
        /// Calling one service through the hub (Article 10).
        case service(ServiceRef)
    }

    public init(id: String, appID: String, target: Target, createdAt: Date) {
        self.id = id
        self.appID = appID
        self.target = target
        self.createdAt = createdAt
    }

    /// A send grant.
    public init(id: String, appID: String, sendTo: UnitPattern, dataType: DataType?, createdAt: Date) {
        self.init(id: id, appID: appID, target: .send(to: sendTo, dataType: dataType), createdAt: createdAt)
    }

    /// Whether this grant lets its app send packets of `type` to `recipient`.
    public func allowsSending(_ type: DataType, to recipient: UnitCode) -> Bool {
        guard case .send(let pattern, let dataType) = target else { return false }
        return (dataType == nil || dataType == type) && pattern.matches(recipient)
    }

    /// Whether this grant lets its app call `service`.
    public func allowsCalling(_ service: ServiceRef) -> Bool {
        if case .service(let granted) = target { return granted == service }
        return false
    }
}
