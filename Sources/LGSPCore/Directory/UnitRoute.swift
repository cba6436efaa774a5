/// Where a packet named to a unit code goes, once reorganisations are followed (Article 7: renamed,
/// merged and split units get new codes; Article 5.7: smart routing of destination units).
public enum UnitRoute: Sendable, Hashable {
    /// The code names an active unit.
    case current(Unit)
    /// The code was replaced, through one or more single-successor changes, by this active unit.
    case redirected(Unit, RecipientRedirect)
    /// The code (or a unit it led to) was split: the source must choose among the successors.
    case split(Unit, successors: [Unit])
    /// The code leads to a unit that is inactive and replaced by nobody (dissolved).
    case inactive(Unit)
    /// No unit has the code.
    case unknown

    /// Replacements followed at most this many times (a longer chain is treated as a dead end).
    public static let maxHops = 16

    /// Follows the replacements of `code` through `lookup` (the directory) to the unit that receives now.
    public static func resolve(_ code: UnitCode, lookup: (UnitCode) async throws -> Unit?) async throws -> UnitRoute {
        guard let named = try await lookup(code) else { return .unknown }
        var unit = named
        var via: [UnitCode] = []
        while unit.status != .active {
            guard let replacement = unit.replacement, !replacement.successors.isEmpty, via.count < maxHops else {
                return .inactive(unit)
            }
            guard replacement.successors.count == 1 else {
                var successors: [Unit] = []
                for successor in replacement.successors {
                    if let found = try await lookup(successor) { successors.append(found) }
                }
                return .split(unit, successors: successors)
            }
            guard let next = try await lookup(replacement.successors[0]), next.code != named.code, !via.contains(next.code) else {
                return .inactive(unit)
            }
            via.append(next.code)
            unit = next
        }
        guard unit.code != named.code else { return .current(unit) }
        let reason = named.replacement?.reason ?? .recode
        return .redirected(unit, RecipientRedirect(from: named.code, to: unit.code, reason: reason, via: Array(via.dropLast())))
    }
}

/// A recipient the hub sent to another unit than the one named, because the named unit was replaced.
public struct RecipientRedirect: Sendable, Hashable, Codable {
    /// The code the source named.
    public var from: UnitCode
    /// The active unit that receives instead.
    public var to: UnitCode
    /// Why the named unit was replaced (its own replacement's reason).
    public var reason: ReorganisationReason
    /// Codes passed through between `from` and `to` when the successor was itself replaced later.
    public var via: [UnitCode]

    public init(from: UnitCode, to: UnitCode, reason: ReorganisationReason, via: [UnitCode] = []) {
        self.from = from
        self.to = to
        self.reason = reason
        self.via = via
    }
}
