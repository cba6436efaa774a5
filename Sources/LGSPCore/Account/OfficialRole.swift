/// What an official (cán bộ) may do in the hub's own applications (the web console) and what the
/// SSO tells business apps in the `roles` claim. Raw values are published: never rename them.
public enum OfficialRole: String, Sendable, Codable, CaseIterable, Hashable {
    /// Runs the hub: everything.
    case admin
    /// Watches the hub: reads everything, handles incidents and maintenance.
    case `operator`
    /// An officer of one unit: sees that unit's sending and receiving (Article 7.1).
    case unitOfficer = "unit-officer"

    /// Parses a role name, or throws `request.invalid_field` naming the accepted values.
    public static func parse(_ text: String, field: String = "roles") throws(LGSPError) -> OfficialRole {
        guard let role = OfficialRole(rawValue: text) else {
            throw LGSPError(
                .invalidField, "unknown role '\(text)'; use \(allCases.map(\.rawValue).joined(separator: ", "))", field: field)
        }
        return role
    }
}
