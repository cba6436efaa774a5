import Foundation

/// An agency or organisation (đơn vị) registered in the directory.
public struct Unit: Sendable, Hashable, Codable {
    /// The unit's QCVN 102:2016 code.
    public var code: UnitCode
    /// The Vietnamese name, with diacritics (NFC), e.g. `Sở Tài chính`.
    public var name: String
    /// The parent unit's code, if it is registered under another unit.
    public var parent: UnitCode?
    /// Whether the unit takes part in exchanges.
    public var status: UnitStatus
    /// When the unit was registered.
    public var createdAt: Date
    /// Names the unit had before its renames, oldest first (search still finds it by them).
    public var formerNames: [String]
    /// Set once the unit was replaced after a reorganisation (merged, split, recoded, dissolved):
    /// the unit is then inactive and its successors receive what is sent to it.
    public var replacement: UnitReplacement?
    /// Codes of the units this one replaced directly (their `replacement` names this unit).
    public var formerCodes: [UnitCode]

    public init(
        code: UnitCode, name: String, parent: UnitCode? = nil, status: UnitStatus = .active, createdAt: Date,
        formerNames: [String] = [], replacement: UnitReplacement? = nil, formerCodes: [UnitCode] = []
    ) {
        self.code = code
        self.name = name
        self.parent = parent
        self.status = status
        self.createdAt = createdAt
        self.formerNames = formerNames
        self.replacement = replacement
        self.formerCodes = formerCodes
    }
}

/// The lifecycle of a unit in the directory.
public enum UnitStatus: String, Sendable, Codable, CaseIterable {
    /// Sends and receives.
    case active
    /// Kept for history (dissolved, merged); receives nothing new.
    case inactive
}
