import Foundation
import Hummingbird
import LGSPCore

/// One request to a console page by a signed-in official: the session, the language, the query and,
/// for a POST, the form (already checked against the session's CSRF token).
struct ConsoleRequest: Sendable {
    let request: Request
    let session: ConsoleSession
    let language: ConsoleLanguage
    var form: [String: String] = [:]
    /// The route parameters (`{code}`, `{id}`…).
    let parameters: [String: String]

    var path: String { request.uri.path }

    /// The path and query, for the language switch and the sign-in's way back.
    var pathAndQuery: String { request.uri.query.map { "\(path)?\($0)" } ?? path }

    /// A query parameter, trimmed; nil when absent or blank.
    func query(_ name: String) -> String? {
        guard let value = request.uri.queryParameters[Substring(name)] else { return nil }
        let trimmed = String(value).trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A form field, trimmed; nil when absent or blank.
    func field(_ name: String) -> String? {
        guard let value = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func parameter(_ name: String) -> String { parameters[name] ?? "" }
}

/// Authorisation of console pages, checked on every request (Article 7.1: a unit officer follows
/// their own unit's sending and receiving and nothing else). Refusals are `auth.forbidden`, which the
/// console shows as a 403 page and records in the audit log.
extension ConsoleRequest {
    /// Administrators only (changes to the directory, keys, clients).
    func requireAdmin(_ action: String) throws(LGSPError) {
        guard session.isAdmin else {
            throw LGSPError(.forbidden, "\(action) needs the admin role; \(session.login) has \(roleList)")
        }
    }

    /// Administrators and operators (pages about every unit: the directory, grants, the audit log).
    func requireReadsEverything(_ page: String) throws(LGSPError) {
        guard session.readsEverything else {
            throw LGSPError(.forbidden, "\(page) is open to administrators and operators; \(session.login) is a unit officer of \(unitText)")
        }
    }

    /// Administrators, operators, or a unit officer of `unit`.
    func requireUnit(_ unit: UnitCode) throws(LGSPError) {
        guard session.readsEverything || session.unit == unit else {
            throw LGSPError(.forbidden, "\(session.login) is a unit officer of \(unitText) and may not open the pages of unit \(unit)")
        }
    }

    /// The unit a page is about: the one asked for (checked), or the officer's own; nil means every unit.
    func scopedUnit(_ asked: UnitCode?) throws(LGSPError) -> UnitCode? {
        if let asked {
            try requireUnit(asked)
            return asked
        }
        if session.readsEverything { return nil }
        guard let unit = session.unit else {
            throw LGSPError(.forbidden, "\(session.login) is a unit officer without a unit and may open no unit's pages")
        }
        return unit
    }

    private var roleList: String { session.roles.map(\.rawValue).joined(separator: ", ") }
    private var unitText: String { session.unit?.rawValue ?? "no unit" }
}
