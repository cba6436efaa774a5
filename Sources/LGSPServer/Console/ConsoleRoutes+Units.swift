import Foundation
import Hummingbird
import LGSPCore

/// The directory: units as a tree by parent, the smart search, one unit with its former names and
/// codes, adding a unit and renaming one (administrators).
extension ConsoleRoutes {
    func registerUnits(on router: HubRouter) {
        get(router, "/console/units") { console in try await units(console) }
        get(router, "/console/units/new") { console in
            try console.requireAdmin("adding a unit")
            return await unitForm(console, values: [:], errors: [], status: .ok)
        }
        post(router, "/console/units") { console in try await addUnit(console) }
        get(router, "/console/units/{code}") { console in try await unit(console) }
        post(router, "/console/units/{code}/rename") { console in try await renameUnit(console) }
        post(router, "/console/units/{code}/officials") { console in try await addOfficer(console) }
    }

    private func units(_ console: ConsoleRequest) async throws -> Response {
        try console.requireReadsEverything("the unit directory")
        let text = renderer.catalogue
        var data: [String: Any] = ["q": console.query("q") ?? "", "canEdit": console.session.isAdmin]
        if let q = console.query("q") {
            do {
                let page = try await hub.directory.search(q, limit: 50)
                data["results"] = page.items.map { ["code": $0.unit.code.rawValue, "name": $0.unit.name, "tier": $0.tier.rawValue, "status": $0.unit.status.rawValue] }
                data["total"] = page.total
                data["searching"] = true
            } catch let error as LGSPError where error.code == .invalidQuery {
                data["errors"] = [error.message]
                return await page("units", title: text.text("nav_units", console.language), data: data, console, status: .badRequest)
            }
        } else {
            let all = try await hub.store.units()
            let children = Dictionary(grouping: all, by: { $0.parent?.rawValue ?? "" })
            let known = Set(all.map(\.code.rawValue))
            func node(_ unit: Unit, depth: Int) -> [String: Any] {
                let kids = depth < 12 ? (children[unit.code.rawValue] ?? []).sorted { $0.code.rawValue < $1.code.rawValue } : []
                return [
                    "code": unit.code.rawValue, "name": unit.name, "inactive": unit.status != .active,
                    "children": kids.map { node($0, depth: depth + 1) }, "hasChildren": !kids.isEmpty,
                ]
            }
            // Roots: no parent, or a parent that is not in the directory.
            let roots = all.filter { $0.parent.map { !known.contains($0.rawValue) } ?? true }.sorted { $0.code.rawValue < $1.code.rawValue }
            data["tree"] = roots.map { node($0, depth: 0) }
        }
        return await page("units", title: text.text("nav_units", console.language), data: data, console)
    }

    private func unitForm(_ console: ConsoleRequest, values: [String: String], errors: [String], status: HTTPResponse.Status) async -> Response {
        await page(
            "unit-new", title: renderer.catalogue.text("unit_add", console.language),
            data: ["values": values, "errors": errors], console, status: status)
    }

    private func addUnit(_ console: ConsoleRequest) async throws -> Response {
        try console.requireAdmin("adding a unit")
        let text = renderer.catalogue
        let language = console.language
        let values = ["code": console.field("code") ?? "", "name": console.field("name") ?? "", "parent": console.field("parent") ?? ""]
        var errors: [String] = []
        if let code = console.field("code") {
            do { _ = try UnitCode(strict: code) } catch { errors.append(text.text("form_code_invalid", language, ["value": code, "detail": error.message])) }
        } else {
            errors.append(text.text("form_code_required", language))
        }
        if console.field("name") == nil { errors.append(text.text("form_name_required", language)) }
        if let parent = console.field("parent"), UnitCode(lenient: parent) == nil { errors.append(text.text("form_parent_invalid", language, ["value": parent])) }
        guard errors.isEmpty else { return await unitForm(console, values: values, errors: errors, status: .unprocessableContent) }
        do {
            let unit = try await hub.directory.addUnit(code: values["code"]!, name: values["name"]!, parent: console.field("parent"), by: try await caller())
            record("console.units.create", session: console.session, target: "unit \(unit.code) {name=\(unit.name.prefix(200))}")
            return Self.redirect("/console/units/\(unit.code.rawValue)")
        } catch let error as LGSPError where error.code.kind != .internalFailure {
            record("console.units.create", session: console.session, target: "unit \(values["code"]!)", outcome: error.code.rawValue)
            return await unitForm(console, values: values, errors: [error.message], status: .unprocessableContent)
        }
    }

    private func unit(_ console: ConsoleRequest, errors: [String] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let unit = try await hub.directory.unit(console.parameter("code"))
        try console.requireUnit(unit.code)
        let text = renderer.catalogue
        let language = console.language
        let children = try await hub.store.units().filter { $0.parent == unit.code }.sorted { $0.code.rawValue < $1.code.rawValue }
        let apps = try await hub.store.apps(unit: unit.code).filter { $0.role == .app }
        let services = try await hub.directory.services(unit: unit.code, by: try await caller())
        let officers = try await hub.sso.officials().filter { $0.unit == unit.code }
        var replacement: [String: Any]?
        if let replaced = unit.replacement {
            replacement = ["kind": replaced.reason.rawValue, "by": replaced.successors.map(\.rawValue).joined(separator: ", "), "effective": ConsoleFormat.time(replaced.effective)]
        }
        return await page(
            "unit", title: "\(unit.name) (\(unit.code.rawValue))",
            data: [
                "unit": [
                    "code": unit.code.rawValue, "name": unit.name, "parent": unit.parent?.rawValue ?? "", "status": unit.status.rawValue,
                    "statusLabel": text.text("unit_status_\(unit.status.rawValue)", language), "createdAt": ConsoleFormat.time(unit.createdAt),
                    "formerNames": unit.formerNames, "formerCodes": unit.formerCodes.map(\.rawValue),
                    "hasFormer": !unit.formerNames.isEmpty || !unit.formerCodes.isEmpty,
                ],
                "replacement": replacement ?? false,
                "children": children.map { ["code": $0.code.rawValue, "name": $0.name] },
                "apps": apps.map { appRow($0, language) },
                "services": services.map { ["ref": $0.ref.description, "url": $0.baseURL, "protocol": $0.serviceProtocol.rawValue] },
                "officers": officers.map {
                    ["login": $0.login, "name": $0.displayName, "roles": $0.roles.map { text.text("role_\($0.rawValue)", language) }.joined(separator: ", "),
                     "disabled": $0.disabled]
                },
                "canEdit": console.session.isAdmin, "errors": errors, "newName": console.field("name") ?? unit.name,
                "officer": ["login": console.field("login") ?? "", "name": console.field("officerName") ?? ""],
            ], console, status: status)
    }

    private func renameUnit(_ console: ConsoleRequest) async throws -> Response {
        try console.requireAdmin("renaming a unit")
        let code = console.parameter("code")
        guard let name = console.field("name") else {
            return try await unit(console, errors: [renderer.catalogue.text("form_name_required", console.language)], status: .unprocessableContent)
        }
        do {
            let unit = try await hub.directory.renameUnit(code: code, name: name, by: try await caller())
            record("console.units.rename", session: console.session, target: "unit \(unit.code) {name=\(name.prefix(200))}")
            return Self.redirect("/console/units/\(unit.code.rawValue)")
        } catch let error as LGSPError where error.code.kind == .invalidRequest || error.code.kind == .conflict || error.code.kind == .unprocessable {
            record("console.units.rename", session: console.session, target: "unit \(code)", outcome: error.code.rawValue)
            return try await unit(console, errors: [error.message], status: .unprocessableContent)
        }
    }

    /// Article 7.1: an account for the unit's officer, to follow the unit's sending and receiving.
    private func addOfficer(_ console: ConsoleRequest) async throws -> Response {
        try console.requireAdmin("creating a unit officer's account")
        let code = try await hub.directory.unit(console.parameter("code")).code
        let text = renderer.catalogue
        var errors: [String] = []
        if console.field("login") == nil { errors.append(text.text("form_login_required", console.language)) }
        if (console.form["password"] ?? "").count < 8 { errors.append(text.text("form_password_short", console.language)) }
        guard errors.isEmpty, let login = console.field("login") else {
            return try await unit(console, errors: errors, status: .unprocessableContent)
        }
        do {
            let created = try await hub.sso.addOfficial(
                login: login, name: console.field("officerName"), roles: [.unitOfficer], unit: code, password: console.form["password"] ?? "", totp: false)
            record("console.officials.create", session: console.session, target: "official \(created.official.login) unit-officer of \(code)")
            return Self.redirect("/console/units/\(code.rawValue)")
        } catch let error as LGSPError where error.code.kind != .internalFailure {
            record("console.officials.create", session: console.session, target: "official \(login.prefix(64)) of \(code)", outcome: error.code.rawValue)
            return try await unit(console, errors: [error.message], status: .unprocessableContent)
        }
    }
}
