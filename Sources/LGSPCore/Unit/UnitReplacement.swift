import Foundation

/// What became of a unit after a reorganisation (Article 7: organisational changes lead to new or
/// adjusted codes): the units that took over its duties, why, and from when.
public struct UnitReplacement: Sendable, Hashable, Codable {
    /// The units that took over, in the order the administrator gave; empty when it was dissolved.
    public var successors: [UnitCode]
    public var reason: ReorganisationReason
    /// When the change took effect (the date of the decision); recorded, the directory applies the
    /// change when it is made.
    public var effective: Date

    public init(successors: [UnitCode], reason: ReorganisationReason, effective: Date) {
        self.successors = successors
        self.reason = reason
        self.effective = effective
    }
}

/// Why a unit was replaced; the number of successors each reason allows is checked on registration.
public enum ReorganisationReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Renamed under a new code: one successor.
    case rename
    /// Merged into another unit (with others): one successor.
    case merge
    /// Split into several units: two or more successors.
    case split
    /// Given a new code, nothing else changed: one successor.
    case recode
    /// Dissolved without successor.
    case dissolve

    /// How many successors the reason allows.
    public var successorCount: ClosedRange<Int> {
        switch self {
        case .rename, .merge, .recode: 1...1
        case .split: 2...Int.max
        case .dissolve: 0...0
        }
    }

    /// Whether a packet sent to the old code can go to its successor without asking the source.
    public var redirects: Bool { successorCount == 1...1 }
}
