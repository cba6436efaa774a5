import Foundation

/// A shared catalogue (danh mục dùng chung) as listed by `GET /v1/catalogues`.
public struct CatalogueSummary: Codable, Sendable, Hashable {
    /// The name to fetch it by (`ethnic-group`).
    public var name: String
    /// The SHA-256 of the catalogue file, hex: changes whenever the catalogue does (also its `ETag`).
    public var version: String
    /// Number of data rows.
    public var rows: Int
    /// The header row.
    public var columns: [String]
    /// Where the data comes from, as `mappings/catalogues/SOURCES.md` states it.
    public var source: String?
    /// The licence of the data, as `mappings/catalogues/SOURCES.md` states it.
    public var licence: String?

    public init(name: String, version: String, rows: Int, columns: [String], source: String?, licence: String?) {
        self.name = name
        self.version = version
        self.rows = rows
        self.columns = columns
        self.source = source
        self.licence = licence
    }
}

/// `GET /v1/catalogues`.
public struct CatalogueListResponse: Codable, Sendable {
    public var items: [CatalogueSummary]
    public init(items: [CatalogueSummary]) { self.items = items }
}

/// `GET /v1/catalogues/{name}` as JSON: the summary and every row, as an object keyed by column.
public struct CatalogueResponse: Codable, Sendable {
    public var catalogue: CatalogueSummary
    public var items: [[String: String]]

    public init(catalogue: CatalogueSummary, items: [[String: String]]) {
        self.catalogue = catalogue
        self.items = items
    }
}

/// One problem of a mapping set that was not loaded.
public struct MappingProblemBody: Codable, Sendable, Hashable {
    public var code: String
    public var message: String
    /// The file at fault (`mappings/x.mapping.yaml`), its line and rule, when known.
    public var file: String?
    public var line: Int?
    public var rule: String?

    public init(code: String, message: String, file: String?, line: Int?, rule: String?) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.rule = rule
    }
}

/// One data type's formats in the working set (`mappings/datatypes.yaml`).
public struct DataTypeFormatsBody: Codable, Sendable, Hashable {
    public var dataType: String
    /// The format packets of the data type arrive in.
    public var format: String
    /// Each format the hub can convert to, with the mapping that does it.
    public var conversions: [String: String]

    public init(dataType: String, format: String, conversions: [String: String]) {
        self.dataType = dataType
        self.format = format
        self.conversions = conversions
    }
}

/// `GET /v1/admin/mappings`: the working mapping set and the problems of the last reload attempt.
public struct MappingStatusResponse: Codable, Sendable {
    /// The folder holding `mappings/` and `schemas/`.
    public var directory: String
    /// When the working set was loaded; absent if none ever loaded (the hub then converts nothing).
    public var loadedAt: Date?
    /// When the hub last looked for changes.
    public var checkedAt: Date
    /// Mapping names of the working set.
    public var mappings: [String]
    public var dataTypes: [DataTypeFormatsBody]
    /// Catalogue names of the working set.
    public var catalogues: [String]
    /// When a changed set was last refused; absent when the folders load cleanly.
    public var failedAt: Date?
    /// Why it was refused (the working set stays in use until the folders are fixed).
    public var problems: [MappingProblemBody]

    public init(
        directory: String, loadedAt: Date?, checkedAt: Date, mappings: [String], dataTypes: [DataTypeFormatsBody], catalogues: [String],
        failedAt: Date?, problems: [MappingProblemBody]
    ) {
        self.directory = directory
        self.loadedAt = loadedAt
        self.checkedAt = checkedAt
        self.mappings = mappings
        self.dataTypes = dataTypes
        self.catalogues = catalogues
        self.failedAt = failedAt
        self.problems = problems
    }
}
