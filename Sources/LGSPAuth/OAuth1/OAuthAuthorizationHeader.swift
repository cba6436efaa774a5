import Foundation
import LGSPCore

/// The protocol parameters of an `Authorization: OAuth …` header (RFC 5849 §3.5.1): a
/// comma-separated list of `name="value"` pairs whose names and values are percent-encoded (§3.6).
struct OAuthAuthorizationHeader: Sendable {
    /// The parameters, decoded, in the order sent (`realm` included).
    var parameters: [(name: String, value: String)]

    /// Whether a header value uses the OAuth scheme (the scheme name is case-insensitive).
    static func isOAuth(_ header: String) -> Bool {
        let trimmed = header.trimmingHTTPWhitespace()
        return trimmed.count >= 5 && trimmed.prefix(5).lowercased() == "oauth" && (trimmed.count == 5 || trimmed.dropFirst(5).first == " ")
    }

    /// Reads the header.
    ///
    /// - Throws: `auth.malformed_authorization` for a pair that is not `name="value"`, or a parameter sent twice.
    init(_ header: String) throws(LGSPError) {
        let list = header.trimmingHTTPWhitespace().dropFirst(5)
        var parameters: [(name: String, value: String)] = []
        for part in list.split(separator: ",", omittingEmptySubsequences: true) {
            let pair = String(part).trimmingHTTPWhitespace()
            if pair.isEmpty { continue }
            guard let equals = pair.firstIndex(of: "=") else {
                throw LGSPError(.malformedAuthorization, "OAuth parameter '\(pair.prefix(40))' is not of the form name=\"value\"")
            }
            let name = PercentEncoding.decode(pair[..<equals].trimmingCharacters(in: .whitespaces))
            var value = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // RFC 5849 §3.5.1: values are quoted; some legacy clients omit the quotes.
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard !parameters.contains(where: { $0.name == name }) else {
                throw LGSPError(.malformedAuthorization, "OAuth parameter \(name) is sent twice in the Authorization header")
            }
            parameters.append((name, PercentEncoding.decode(value)))
        }
        self.parameters = parameters
    }

    /// A parameter's decoded value.
    subscript(name: String) -> String? { parameters.first { $0.name == name }?.value }
}
