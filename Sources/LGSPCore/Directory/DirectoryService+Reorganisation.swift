import Foundation

/// Reorganisations (Article 7: renames, mergers, splits and dissolutions lead to new or adjusted
/// codes). The directory keeps every former code and name, so that what is sent to an old code
/// still arrives (`UnitRoute`) and search still finds a unit by its old name.
extension DirectoryService {
    /// Renames a unit under the same code; the old name stays searchable among its former names.
    ///
    /// - Throws: `auth.forbidden`, `directory.invalid_unit_code`, `directory.invalid_name`, `directory.unknown_unit`.
    public func renameUnit(code text: String, name: String, by caller: Caller) async throws -> Unit {
        try caller.requireAdmin(for: "renaming a unit")
        let unit = try await unit(text)
        let cleanName = try Self.validName(name)
        try await store.renameUnit(unit.code, to: cleanName)
        logger.info("unit renamed", metadata: ["unit": "\(unit.code)"])
        return try await self.unit(text)
    }

    /// Replaces an active unit by its successors: it becomes inactive, and packets sent to its code
    /// go to its successor when there is exactly one (`rename`, `merge`, `recode`), are refused
    /// with `exchange.recipient_replaced` naming them (`split`), or with `exchange.recipient_inactive`
    /// when there is none (`dissolve`).
    ///
    /// - Parameters:
    ///   - reason: nil means `dissolve` without successors, `merge` for one and `split` for several.
    ///   - effective: when the change took effect (default: now); recorded, not scheduled.
    /// - Throws: `auth.forbidden`; `request.invalid_field` when the successors do not fit the reason
    ///   (field `by`) or name the unit itself; `directory.invalid_unit_code`, `directory.unknown_unit`
    ///   (field `code` or `by[i]`); `directory.unit_inactive` when the unit or a successor is inactive.
    public func replaceUnit(
        code text: String, by successorTexts: [String], reason: ReorganisationReason?, effective: Date?, by caller: Caller
    ) async throws -> Unit {
        try caller.requireAdmin(for: "replacing a unit")
        let unit = try await unit(text)
        let reason = reason ?? (successorTexts.isEmpty ? .dissolve : successorTexts.count == 1 ? .merge : .split)
        guard reason.successorCount.contains(successorTexts.count) else {
            let wanted = reason == .split ? "two or more successors" : reason == .dissolve ? "no successor" : "exactly one successor"
            throw LGSPError(.invalidField, "a \(reason.rawValue) needs \(wanted) in 'by', got \(successorTexts.count)", field: "by")
        }
        var successors: [UnitCode] = []
        for (index, successorText) in successorTexts.enumerated() {
            let field = "by[\(index)]"
            guard let code = UnitCode(lenient: successorText) else {
                throw LGSPError(.invalidUnitCode, "successor '\(successorText)' is not a QCVN 102:2016 unit code", field: field)
            }
            guard code != unit.code, !successors.contains(code) else {
                throw LGSPError(.invalidField, "successor \(code) is named twice or is the replaced unit itself", field: field)
            }
            guard let successor = try await store.unit(code) else {
                throw LGSPError(.unknownUnit, "successor \(code) is not in the directory; register it first", field: field)
            }
            guard successor.status == .active else {
                throw LGSPError(.unitInactive, "successor \(code) (\(successor.name)) is inactive itself; name the unit that replaced it", field: field)
            }
            successors.append(code)
        }
        guard unit.status == .active else {
            throw LGSPError(.unitInactive, "unit \(unit.code) (\(unit.name)) is already inactive", field: "code")
        }
        let replacement = UnitReplacement(successors: successors, reason: reason, effective: effective ?? clock.now())
        try await store.replaceUnit(unit.code, with: replacement)
        logger.info(
            "unit replaced",
            metadata: ["unit": "\(unit.code)", "reason": "\(reason.rawValue)", "successors": "\(successors.map(\.rawValue).joined(separator: ","))"])
        return try await self.unit(text)
    }
}
