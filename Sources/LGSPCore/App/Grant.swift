import Foundation

/// A permission given to an app (quyền): which units it may send packets to, of which data types.
public struct Grant: Sendable, Hashable, Codable {
    public var id: String
    /// The app holding the permission.
    public var appID: String
    /// The units covered.
    public var sendTo: UnitPattern
    /// The data type covered; nil means every data type.
    public var dataType: DataType?
    public var createdAt: Date

    public init(id: String, appID: String, sendTo: UnitPattern, dataType: DataType?, createdAt: Date) {
        self.id = id
        self.appID = appID
        self.sendTo = sendTo
        self.dataType = dataType
        self.createdAt = createdAt
    }

    /// Whether this grant lets its app send packets of `type` to `recipient`.
    public func allowsSending(_ type: DataType, to recipient: UnitCode) -> Bool {
        (dataType == nil || dataType == type) && sendTo.matches(recipient)
    }
}
