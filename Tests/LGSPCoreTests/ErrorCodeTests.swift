import Foundation
import LGSPCore
import Testing

/// Error codes are a published contract: unique, well formed, documented in docs/ERRORS.md and openapi.json.
@Suite("ErrorCode catalogue")
struct ErrorCodeTests {
    /// The package root: this file is `<root>/Tests/LGSPCoreTests/ErrorCodeTests.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// The code in the first cell of each table row of docs/ERRORS.md (`| \`auth.clock_skew\` | 401 | …`).
    static func documentedRowCodes() throws -> [String] {
        try text("docs/ERRORS.md").split(separator: "\n").compactMap { line -> String? in
            guard let match = line.wholeMatch(of: /\|\s*`([^`]+)`\s*\|.*/) else { return nil }
            return String(match.1)
        }
    }

    static let allRawValues = ErrorCode.allCases.map(\.rawValue)

    @Test("raw values are unique")
    func rawValues_areUnique() {
        #expect(Set(Self.allRawValues).count == Self.allRawValues.count)
    }

    @Test("each code has the form area.problem in lowercase", arguments: ErrorCode.allCases)
    func rawValue_isDottedLowercase(code: ErrorCode) {
        #expect(code.rawValue.wholeMatch(of: /[a-z]+\.[a-z_]+/) != nil, "\(code.rawValue)")
    }

    @Test("every code is the first cell of exactly one table row of docs/ERRORS.md")
    func everyCode_isDocumentedInErrorsMd() throws {
        let rows = try Self.documentedRowCodes()
        for code in Self.allRawValues {
            #expect(rows.filter { $0 == code }.count == 1, "\(code) in docs/ERRORS.md")
        }
    }

    @Test("docs/ERRORS.md documents no code that does not exist")
    func errorsMd_mentionsOnlyExistingCodes() throws {
        let known = Set(Self.allRawValues)
        for row in try Self.documentedRowCodes() {
            #expect(known.contains(row), "table row for unknown code \(row)")
        }
        // Anywhere in the text, a backticked `area.problem` in one of the code areas must be a real code.
        let areas = Set(Self.allRawValues.map { String($0.prefix { $0 != "." }) })
        let document = try Self.text("docs/ERRORS.md")
        for match in document.matches(of: /`([a-z]+)\.([a-z_]+)`/) where areas.contains(String(match.1)) {
            let mentioned = "\(match.1).\(match.2)"
            #expect(known.contains(mentioned), "docs/ERRORS.md mentions \(mentioned)")
        }
    }

    @Test("the Problem.code enum of openapi.json lists exactly the codes, in catalogue order")
    func openAPI_listsExactlyTheCodes() throws {
        let data = try Data(
            contentsOf: Self.packageRoot.appendingPathComponent("Sources/LGSPServer/Resources/openapi.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let components = try #require(root["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        let problem = try #require(schemas["Problem"] as? [String: Any])
        let properties = try #require(problem["properties"] as? [String: Any])
        let code = try #require(properties["code"] as? [String: Any])
        let listed = try #require(code["enum"] as? [String])
        let missing = Set(Self.allRawValues).subtracting(listed)
        let extra = Set(listed).subtracting(Self.allRawValues)
        #expect(missing.isEmpty && extra.isEmpty, "missing: \(missing.sorted()), extra: \(extra.sorted())")
        #expect(listed == Self.allRawValues)
        #expect(listed.count == Set(listed).count)
    }

    @Test("the HTTP status column of docs/ERRORS.md follows each code's kind, as the document's mapping states")
    func errorsMd_statusMatchesKind() throws {
        // ERRORS.md: "invalid request 400, authentication 401, forbidden 403, not found 404, method not allowed 405,
        // conflict 409, gone 410, too large 413, range not satisfiable 416, unprocessable 422, internal failure 500,
        // unavailable 503".
        let status: [ErrorKind: Int] = [
            .invalidRequest: 400, .unauthenticated: 401, .forbidden: 403, .notFound: 404, .methodNotAllowed: 405,
            .conflict: 409, .gone: 410, .tooLarge: 413, .rangeNotSatisfiable: 416, .unprocessable: 422,
            .internalFailure: 500, .unavailable: 503, .badGateway: 502, .gatewayTimeout: 504,
        ]
        var documented: [String: Int] = [:]
        for line in try Self.text("docs/ERRORS.md").split(separator: "\n") {
            if let match = line.wholeMatch(of: /\|\s*`([^`]+)`\s*\|\s*(\d{3})\s*\|.*/) {
                documented[String(match.1)] = Int(match.2)
            }
        }
        for code in ErrorCode.allCases {
            #expect(documented[code.rawValue] == status[code.kind], "\(code.rawValue) is \(code.kind)")
        }
    }

    @Test("only the hub's own failures and its providers' failures are the server's side")
    func side_isServerOnlyForServerCodes() {
        for code in ErrorCode.allCases {
            #expect((code.side == .server) == (code.rawValue.hasPrefix("server.") || code.rawValue.hasPrefix("service.")), "\(code.rawValue)")
        }
    }

    @Test("an LGSPError describes itself as code: message")
    func error_descriptionStartsWithCode() {
        let error = LGSPError(.unknownRecipient, "recipient 000.00.00.H99 is not in the directory", field: "to[0]")
        #expect(error.description == "exchange.unknown_recipient: recipient 000.00.00.H99 is not in the directory")
    }
}
