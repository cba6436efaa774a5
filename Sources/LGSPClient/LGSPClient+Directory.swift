import Foundation
import LGSPAPI
import LGSPCore

/// The smart directory (any app) and reorganisations of units (administrators).
extension LGSPClient {
    /// Searches units by code, code prefix, name or abbreviation, best first (`GET /v1/units`).
    public func searchUnits(_ text: String, limit: Int? = nil, offset: Int? = nil) async throws -> UnitSearchResponse {
        var query = [("q", text)]
        if let limit { query.append(("limit", String(limit))) }
        if let offset { query.append(("offset", String(offset))) }
        return try await json(.GET, "/v1/units", query: query)
    }

    /// One unit with its former names and codes and, once replaced, its successors.
    public func unit(_ code: String) async throws -> UnitBody {
        try await json(.GET, "/v1/units/\(code)")
    }

    /// Renames a unit under the same code (administrators).
    public func renameUnit(_ code: String, name: String) async throws -> UnitBody {
        try await json(.POST, "/v1/admin/units/\(code)/rename", body: RenameUnitRequest(name: name))
    }

    /// Replaces a unit by its successors after a reorganisation; `by` empty dissolves it (administrators).
    public func replaceUnit(_ code: String, by successors: [String], reason: String? = nil, effective: String? = nil) async throws -> UnitBody {
        try await json(.POST, "/v1/admin/units/\(code)/replace", body: ReplaceUnitRequest(by: successors, reason: reason, effective: effective))
    }
}
