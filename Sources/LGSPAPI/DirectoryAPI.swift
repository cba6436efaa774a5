import Foundation
import LGSPCore

/// What became of a replaced unit, on the wire (`UnitBody.replacement`).
public struct UnitReplacementBody: Codable, Sendable, Hashable {
    /// The units that took over, empty when the unit was dissolved.
    public var by: [UnitCode]
    public var reason: ReorganisationReason
    public var effective: Date

    public init(by: [UnitCode], reason: ReorganisationReason, effective: Date) {
        self.by = by
        self.reason = reason
        self.effective = effective
    }
}

/// `GET /v1/units?q=…`: one page of search results, best first.
public struct UnitSearchResponse: Codable, Sendable {
    public var items: [UnitSearchItem]
    /// How many units match in all.
    public var total: Int
    /// The `offset` of the next page; absent on the last page.
    public var next: Int?

    public init(items: [UnitSearchItem], total: Int, next: Int?) {
        self.items = items
        self.total = total
        self.next = next
    }
}

/// One search result: the unit, its score and the rule that gave it (see `UnitSearch`).
public struct UnitSearchItem: Codable, Sendable, Hashable {
    public var unit: UnitBody
    public var score: Int
    public var match: UnitSearch.Tier

    public init(unit: UnitBody, score: Int, match: UnitSearch.Tier) {
        self.unit = unit
        self.score = score
        self.match = match
    }
}

/// `POST /v1/admin/units/{code}/rename`.
public struct RenameUnitRequest: Codable, Sendable {
    public var name: String

    public init(name: String) { self.name = name }

    enum CodingKeys: String, CodingKey, CaseIterable { case name }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        name = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .name)
    }
}

/// `POST /v1/admin/units/{code}/replace`: the unit becomes inactive and the units in `by` take over.
public struct ReplaceUnitRequest: Codable, Sendable {
    /// Successor unit codes: one for `rename`, `merge` and `recode`, two or more for `split`, none for `dissolve`.
    public var by: [String]
    /// `rename`, `merge`, `split`, `recode` or `dissolve`; default `merge` for one successor,
    /// `split` for several, `dissolve` for none.
    public var reason: String?
    /// When the change took effect: a date (`2025-07-01`, midnight in Vietnam, UTC+07:00) or an
    /// ISO 8601 date-time; default now.
    public var effective: String?

    public init(by: [String], reason: String? = nil, effective: String? = nil) {
        self.by = by
        self.reason = reason
        self.effective = effective
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case by, reason, effective }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        by = try container.decode([String].self, forKey: .by)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        effective = try container.decodeIfPresent(String.self, forKey: .effective)
    }

    /// The reason, if given. Throws `request.invalid_field` (field `reason`) for an unknown one.
    public func parsedReason() throws(LGSPError) -> ReorganisationReason? {
        guard let reason else { return nil }
        guard let parsed = ReorganisationReason(rawValue: reason) else {
            let allowed = ReorganisationReason.allCases.map(\.rawValue).joined(separator: ", ")
            throw LGSPError(.invalidField, "reason '\(reason)' is not one of \(allowed)", field: "reason")
        }
        return parsed
    }

    /// The effective date, if given. Throws `request.invalid_field` (field `effective`) for text that is no date.
    public func parsedEffective() throws(LGSPError) -> Date? {
        guard let effective else { return nil }
        if let date = APICoding.parseDate(effective) ?? APICoding.parseDate(effective + "T00:00:00+07:00") { return date }
        throw LGSPError(.invalidField, "effective '\(effective)' is not a date such as 2025-07-01 or a date-time such as 2025-07-01T00:00:00+07:00", field: "effective")
    }
}

/// A named recipient the hub sent to another unit because it was replaced (Article 7).
public struct RedirectBody: Codable, Sendable, Hashable {
    /// The code the source named.
    public var from: UnitCode
    /// The unit that receives instead.
    public var to: UnitCode
    /// Why the named unit was replaced.
    public var reason: ReorganisationReason
    /// Codes passed through when the successor was itself replaced later; absent when none.
    public var via: [UnitCode]?

    public init(from: UnitCode, to: UnitCode, reason: ReorganisationReason, via: [UnitCode]? = nil) {
        self.from = from
        self.to = to
        self.reason = reason
        self.via = via
    }

    public init(_ redirect: RecipientRedirect) {
        self.init(from: redirect.from, to: redirect.to, reason: redirect.reason, via: redirect.via.isEmpty ? nil : redirect.via)
    }
}
