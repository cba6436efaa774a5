/// Smart search of the directory (Article 5.7): open to every authenticated app, since apps need
/// it to find their recipients.
extension DirectoryService {
    /// One page of search results, best first.
    public struct SearchPage: Sendable, Hashable {
        public var items: [UnitSearch.Match]
        /// How many units match in all.
        public var total: Int
        /// The offset of the next page, or nil on the last page.
        public var nextOffset: Int?
    }

    /// Results per page at most.
    public static let maxSearchLimit = 100

    /// Searches units by code, code prefix, name, abbreviation or former name, ranked by `UnitSearch`.
    ///
    /// - Throws: `request.invalid_query` for an empty or too long text (field `q`), a `limit` outside
    ///   1…`maxSearchLimit` or a negative `offset`.
    public func search(_ text: String, limit: Int = 20, offset: Int = 0) async throws -> SearchPage {
        guard (1...Self.maxSearchLimit).contains(limit) else {
            throw LGSPError(.invalidQuery, "limit must be an integer from 1 to \(Self.maxSearchLimit)", field: "limit")
        }
        guard offset >= 0 else {
            throw LGSPError(.invalidQuery, "offset must not be negative", field: "offset")
        }
        let query = try UnitSearchQuery(text)
        let ranked = UnitSearch.rank(try await store.units(matching: query), for: query)
        let page = Array(ranked.dropFirst(offset).prefix(limit))
        let next = offset + page.count < ranked.count ? offset + page.count : nil
        return SearchPage(items: page, total: ranked.count, nextOffset: next)
    }

    /// One unit with its reorganisation history, or `directory.unknown_unit`.
    public func unit(_ text: String) async throws -> Unit {
        guard let code = UnitCode(lenient: text) else {
            throw LGSPError(.invalidUnitCode, "'\(text)' is not a QCVN 102:2016 unit code", field: "code")
        }
        guard let unit = try await store.unit(code) else {
            throw LGSPError(.unknownUnit, "unit \(code) is not in the directory", field: "code")
        }
        return unit
    }
}
